"""Share cards: 1200 × 630 PNG images for social media (og:image), with a title, a progress bar, a figure and a
hashtag, the Arabic shaped by HarfBuzz through Pillow's Raqm layout.

`render_card` is the one entry point for any feature (cases here; campaigns call it too); `cases.py` builds a case's
card and caches it on disk by its figures.
"""

from jood.sharecards.render import HEIGHT, WIDTH, render_card

__all__ = ["HEIGHT", "WIDTH", "render_card"]
