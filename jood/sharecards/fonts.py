"""The card's faces: Noto Sans Arabic merged with Noto Sans (both in static/fonts, SIL OFL), so that one face carries
Arabic, Latin, '#', '%', '_' and '·' and Raqm shapes a whole mixed line at once (Pillow has no font fallback, and Noto
Sans Arabic alone lacks '#' and '%', which every hashtag and percentage needs).

Merging takes a few seconds per weight, so the merged files are kept in the system's temporary directory, named by
the sources' sizes and times (a new source font makes a new file), and loaded once per process.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from jood import ROOT

SOURCES = Path(ROOT) / "static" / "fonts"
WEIGHTS = {"regular": "Regular", "bold": "Bold"}


FONT_DIR = Path(tempfile.gettempdir()) / "jood-card-fonts"


def _sources(weight: str) -> list[Path]:
    suffix = WEIGHTS[weight]
    return [SOURCES / f"NotoSansArabic-{suffix}.ttf", SOURCES / f"NotoSans-{suffix}.ttf"]


def merged_path(weight: str) -> Path:
    """The merged face of `weight`, built on first use (written to a temporary name, then renamed: another process
    building it at the same time never reads half a file)."""
    sources = _sources(weight)
    stamp = "-".join(f"{path.stat().st_size}.{int(path.stat().st_mtime)}" for path in sources)
    target = FONT_DIR / f"jood-card-{weight}-{stamp}.ttf"
    if not target.exists():
        from fontTools.merge import Merger

        target.parent.mkdir(parents=True, exist_ok=True)
        font = Merger().merge([str(path) for path in sources])
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".ttf")
        os.close(handle)
        font.save(temporary)
        os.replace(temporary, target)
    return target


@lru_cache(maxsize=4)
def _face_bytes(weight: str) -> bytes:
    return merged_path(weight).read_bytes()


@lru_cache(maxsize=32)
def face(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    import io

    data = _face_bytes("bold" if bold else "regular")
    return ImageFont.truetype(io.BytesIO(data), size, layout_engine=ImageFont.Layout.RAQM)
