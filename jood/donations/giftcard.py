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
from jood.sharecards.render import draw_house

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


def gift_card_png(donation: Donation) -> bytes:
    image = Image.new("RGB", (SIZE, SIZE), SAND)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((36, 36, SIZE - 36, SIZE - 36), radius=48, outline=GOLD, width=10, fill="white")
    draw_house(draw, SIZE // 2 - 26 * 3.2, 96 - 8 * 3.2, 3.2)  # centred: the house spans 52 units
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
