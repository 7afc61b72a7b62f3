"""The gift card as a square PNG to share (WhatsApp, social media): Arabic shaped by HarfBuzz through Pillow's
Raqm layout, with the same words as the PDF card. No photograph, no person: the drawing is Jood's own house."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from jood import ROOT
from jood.donations.models import Donation
from jood.money import format_money

FONTS = Path(ROOT) / "static" / "fonts"
SIZE = 1080
GREEN, GREEN_DARK, GOLD, SAND, INK, MUTED = "#0b6e4f", "#07503a", "#c99a2e", "#faf6ee", "#17231f", "#4e5e57"
_ARABIC = re.compile("[\u0600-\u06ff]")


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = False, arabic: bool = True) -> ImageFont.FreeTypeFont:
    name = ("NotoSansArabic" if arabic else "NotoSans") + ("-Bold.ttf" if bold else "-Regular.ttf")
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.RAQM)


def _line(draw: ImageDraw.ImageDraw, y: int, text: str, size: int, *, bold: bool = False, fill: str = INK) -> int:
    """One centred line: Arabic right to left with the Arabic face, anything else with the Latin face."""
    arabic = bool(_ARABIC.search(text))
    font = _font(size, bold, arabic)
    options = {"direction": "rtl", "language": "ar"} if arabic else {"direction": "ltr", "language": "en"}
    draw.text((SIZE // 2, y), text, font=font, fill=fill, anchor="ma", **options)
    return y + int(size * 1.55)


def _wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    arabic = bool(_ARABIC.search(text))
    font = _font(size, False, arabic)
    options = {"direction": "rtl", "language": "ar"} if arabic else {}
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and draw.textlength(trial, font=font, **options) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def _house(draw: ImageDraw.ImageDraw, cx: int, top: int, scale: float) -> None:
    """The logo's house, drawn (M14 32 32 16l18 16v16…)."""
    def p(x, y):
        return cx + (x - 32) * scale, top + (y - 16) * scale
    draw.rounded_rectangle((p(6, 8), p(58, 56)), radius=int(10 * scale), fill=GREEN)
    draw.polygon([p(14, 32), p(32, 16), p(50, 32), p(50, 50), p(38, 50), p(38, 38), p(26, 38), p(26, 50),
                  p(14, 50)], fill="white")
    x, y = p(32, 29)
    r = 4 * scale
    draw.ellipse((x - r, y - r, x + r, y + r), fill=GOLD)


def gift_card_png(donation: Donation) -> bytes:
    image = Image.new("RGB", (SIZE, SIZE), SAND)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((36, 36, SIZE - 36, SIZE - 36), radius=48, outline=GOLD, width=10, fill="white")
    _house(draw, SIZE // 2, 96, 3.2)
    y = 280
    y = _line(draw, y, "إهداء", 84, bold=True, fill=GREEN_DARK)
    y = _line(draw, y, f"إلى {donation.gift_recipient}", 52, bold=True)
    y = _line(draw, y, f"من {donation.public_name or 'فاعل خير'}", 40, fill=MUTED)
    if donation.gift_message:
        for text in _wrap(draw, donation.gift_message, 38, SIZE - 260)[:3]:
            y = _line(draw, y, text, 38, fill=GREEN)
    y += 10
    for text in _wrap(draw, "تبرّع باسمك لمساعدة أسرة محتاجة على السكن عبر منصة جود.", 34, SIZE - 240):
        y = _line(draw, y, text, 34)
    if donation.gift_show_amount:
        y = _line(draw, y + 6, format_money(donation.amount, "ar"), 48, bold=True, fill=GREEN_DARK)
    _line(draw, SIZE - 150, "A gift in your name, through Jood", 30, fill=MUTED)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
