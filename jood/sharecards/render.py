"""Drawing a share card: 1200 × 630 (the size og:image and X's large summary card expect), in Jood's colours.

Layout, from the reading side (the right in Arabic, the left in English): the brand, the title (two lines at most),
the subtitle, the progress bar filling from the reading side, the figure beside the percentage, the hashtag. No
photograph, no person: the drawing is the logo's house.

Each line is laid out by Raqm in its own direction (the first strong letter decides, so an Arabic title on an
English card is still right to left), and every number in it is a left-to-right isolate, as in the PDFs: Raqm's
bidi otherwise shows "49%" as "%49" in an Arabic line.
"""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw

from jood.sharecards.fonts import face

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
GREEN, GREEN_DARK, GOLD, SAND, SAND_DARK, INK, MUTED = (
    "#0b6e4f", "#07503a", "#c99a2e", "#faf6ee", "#efe5d2", "#17231f", "#4e5e57")
LRI, PDI = "\u2066", "\u2069"
_NUMBER = re.compile(r"[-+]?\d[\d,.\u066b\u066c]*%?")
_STRONG = re.compile(r"[A-Za-z\u00c0-\u024f\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
ELLIPSIS = "…"


def isolate_numbers(text: str) -> str:
    """Every number (with its percent sign) as one left-to-right isolate."""
    return _NUMBER.sub(lambda match: f"{LRI}{match.group(0)}{PDI}", text)


def line_direction(text: str) -> str:
    """The direction of a line by its first strong letter (Arabic or Hebrew: rtl)."""
    first = _STRONG.search(text)
    return "rtl" if first and _ARABIC.match(first.group(0)) else "ltr"


class _Canvas:
    def __init__(self, language: str):
        self.image = Image.new("RGB", (WIDTH, HEIGHT), SAND)
        self.draw = ImageDraw.Draw(self.image)
        self.rtl = language == "ar"
        self.language = language

    def start_x(self, inset: int = 0) -> int:
        return WIDTH - MARGIN - inset if self.rtl else MARGIN + inset

    def end_x(self, inset: int = 0) -> int:
        return MARGIN + inset if self.rtl else WIDTH - MARGIN - inset

    def _options(self, text: str) -> dict:
        direction = line_direction(text)
        return {"direction": direction, "language": "ar" if direction == "rtl" else "en"}

    def width(self, text: str, size: int, bold: bool = False) -> float:
        text = isolate_numbers(text)
        return self.draw.textlength(text, font=face(size, bold), **self._options(text))

    def text(self, x: int, y: int, text: str, size: int, *, bold: bool = False, fill: str = INK,
             at_start: bool = True) -> None:
        """`text` with its top at `y`, against `x` on the start side (or the end side)."""
        anchor = ("ra" if self.rtl else "la") if at_start else ("la" if self.rtl else "ra")
        text = isolate_numbers(text)
        self.draw.text((x, y), text, font=face(size, bold), fill=fill, anchor=anchor, **self._options(text))

    def wrap(self, text: str, size: int, width: int, lines: int, bold: bool = False) -> list[str]:
        """Words on at most `lines` lines of `width` pixels; an ellipsis ends a text that does not fit."""
        result, current = [], ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if current and self.width(trial, size, bold) > width:
                result.append(current)
                current = word
            else:
                current = trial
        if current:
            result.append(current)
        kept = result[:lines]
        if kept and (len(result) > lines or self.width(kept[-1], size, bold) > width):
            last = kept[-1]
            while last and self.width(last + ELLIPSIS, size, bold) > width:
                last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
            kept[-1] = last + ELLIPSIS
        return kept


def draw_house(draw: ImageDraw.ImageDraw, left: float, top: float, scale: float) -> None:
    """The logo's house (static/img/logo.svg), drawn with its rounded square's top-left corner at (left, top); the
    share cards and the gift card both draw it."""
    def p(x, y):
        return left + (x - 6) * scale, top + (y - 8) * scale
    draw.rounded_rectangle((p(6, 8), p(58, 56)), radius=int(10 * scale), fill=GREEN)
    draw.polygon([p(14, 32), p(32, 16), p(50, 32), p(50, 50), p(38, 50), p(38, 38), p(26, 38), p(26, 50),
                  p(14, 50)], fill="white")
    x, y = p(32, 29)
    r = 4 * scale
    draw.ellipse((x - r, y - r, x + r, y + r), fill=GOLD)


def _progress(canvas: _Canvas, y: int, share: float) -> None:
    """The bar, filling from the reading side; a sliver shows even a first gift."""
    left, right, height = MARGIN, WIDTH - MARGIN, 34
    canvas.draw.rounded_rectangle((left, y, right, y + height), radius=height // 2, fill=SAND_DARK)
    if share > 0:
        filled = max(height, round((right - left) * share))
        box = (right - filled, y, right, y + height) if canvas.rtl else (left, y, left + filled, y + height)
        canvas.draw.rounded_rectangle(box, radius=height // 2, fill=GREEN)


def render_card(*, title: str, subtitle: str, progress: float, figure: str, hashtag: str, language: str) -> bytes:
    """A 1200 × 630 PNG. `progress` is the share reached, a fraction from 0 to 1 (clamped; 0.42 for 42 %);
    `figure` is the amount line, already formatted ("12,500 ر.س جُمعت من 25,500 ر.س"); `hashtag` is shown as given
    ("#كليومبيت"); `language` ("ar" or "en") sets the reading side and the brand's name."""
    share = min(max(float(progress or 0), 0.0), 1.0)
    canvas = _Canvas("ar" if language == "ar" else "en")
    draw = canvas.draw
    # The card, with a gold edge on the reading side (the catalog's "cases of the day" box has the same).
    draw.rounded_rectangle((24, 24, WIDTH - 24, HEIGHT - 24), radius=36, fill=GOLD)
    inset = (24, 24, WIDTH - 24 - 12, HEIGHT - 24) if canvas.rtl else (24 + 12, 24, WIDTH - 24, HEIGHT - 24)
    draw.rounded_rectangle(inset, radius=36, fill="white")

    # The brand: the house and the name on the reading side.
    house = 64
    house_left = WIDTH - MARGIN - house if canvas.rtl else MARGIN
    draw_house(draw, house_left, 56, house / 52)
    brand = "جود الإسكان" if canvas.rtl else "Jood Housing"  # the site's own name (_("Jood Housing"))
    canvas.text(canvas.start_x(house + 18), 66, brand, 34, bold=True, fill=GREEN_DARK)

    text_width = WIDTH - 2 * MARGIN
    y = 160
    for line in canvas.wrap(title, 56, text_width, 2, bold=True):
        canvas.text(canvas.start_x(), y, line, 56, bold=True)
        y += 80
    if subtitle:
        for line in canvas.wrap(subtitle, 32, text_width, 1):
            canvas.text(canvas.start_x(), y + 6, line, 32, fill=MUTED)
        y += 56

    bar_y = max(y + 30, 400)
    _progress(canvas, bar_y, share)
    percent = f"{int(share * 100)}%"
    figure_y = bar_y + 54
    percent_width = canvas.width(percent, 44, True)
    canvas.text(canvas.end_x(), figure_y - 4, percent, 44, bold=True, fill=GREEN, at_start=False)
    for line in canvas.wrap(figure, 36, int(text_width - percent_width - 40), 1, bold=True):
        canvas.text(canvas.start_x(), figure_y, line, 36, bold=True, fill=GREEN_DARK)
    if hashtag:
        for line in canvas.wrap(hashtag, 32, text_width, 1, bold=True):
            canvas.text(canvas.start_x(), HEIGHT - 24 - 70, line, 32, bold=True, fill=GREEN)

    buffer = io.BytesIO()
    canvas.image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
