"""A printable A4 poster for a sign: Thai site name, the QR, the sign id, what to do with it.

Pillow with raqm shapes Thai correctly; the font is Sarabun (the Thai government's standard
typeface, SIL OFL), shipped as a Python package so no system font is needed.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import fontpkg_sarabun
from PIL import Image, ImageDraw, ImageFont

from .sign_codes import render_qr

DPI = 150
A4_PX = (1240, 1754)  # 210 x 297 mm at 150 dpi
# 33 modules (25 + quiet zone) x 30 px = 990 px = 16.8 cm: at 2-3 m a phone's front camera
# still puts well over 4 px on each module of a 12 MP frame.
MODULE_PX = 30
FONT_DIR = Path(fontpkg_sarabun.__file__).parent / "files"


@lru_cache(maxsize=8)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / f"Sarabun-{weight}.ttf"), size, layout_engine=ImageFont.Layout.RAQM)


def render_poster(site_name: str, site_code: str, sign_id: int, payload: str) -> Image.Image:
    poster = Image.new("RGB", A4_PX, "white")
    draw = ImageDraw.Draw(poster)
    centre = A4_PX[0] // 2
    draw.text((centre, 110), "จุดลงเวลาปฏิบัติราชการ", font=_font("Regular", 48), fill="black", anchor="mm")
    title = _fit(draw, site_name, "Bold", 80, A4_PX[0] - 120)
    draw.text((centre, 215), site_name, font=title, fill="black", anchor="mm")

    qr = render_qr(payload, MODULE_PX).convert("RGB")
    poster.paste(qr, (centre - qr.width // 2, 300))
    below = 300 + qr.height + 40
    draw.text((centre, below + 20), "ถ่ายภาพตนเองให้เห็นใบหน้าและป้ายนี้ เมื่อลงเวลาเข้า-ออก",
              font=_font("SemiBold", 44), fill="black", anchor="mm")
    draw.text((centre, below + 90), "Take your check-in selfie with your face and this sign in view.",
              font=_font("Regular", 34), fill="black", anchor="mm")
    draw.text((centre, A4_PX[1] - 90), f"ป้ายหมายเลข {sign_id}  ·  {site_code}",
              font=_font("Regular", 32), fill=(80, 80, 80), anchor="mm")
    return poster


def _fit(draw: ImageDraw.ImageDraw, text: str, weight: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    """The largest font size up to `size` at which the text fits the width."""
    while size > 24 and draw.textlength(text, font=_font(weight, size)) > width:
        size -= 4
    return _font(weight, size)


def poster_bytes(poster: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "pdf":
        poster.save(buffer, "PDF", resolution=DPI, title="e-Timekeeping sign")
    else:
        poster.save(buffer, "PNG", dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()
