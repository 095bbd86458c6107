"""Finding QR codes in a selfie, and where they are. Pure: no Flask, no SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp
from PIL import Image

Box = tuple[int, int, int, int]  # left, top, right, bottom in image pixels

# The A4 poster around its QR (geofences/posters.py) reaches 0.3 of the QR's side above it,
# 0.47 below and 0.13 to each side; a turned poster may put any of that on any side.
POSTER_MARGIN = 0.5


@dataclass(frozen=True)
class QrCode:
    text: str
    box: Box  # the bounding box of the code's four corners

    def poster_box(self, margin: float = POSTER_MARGIN) -> Box:
        """The code's box grown by `margin` of its size on every side: the poster around it."""
        left, top, right, bottom = self.box
        grow_x, grow_y = round((right - left) * margin), round((bottom - top) * margin)
        return left - grow_x, top - grow_y, right + grow_x, bottom + grow_y

    def scaled(self, factor: float) -> QrCode:
        return QrCode(self.text, tuple(round(value * factor) for value in self.box))


def find_qr_codes(image: Image.Image) -> list[QrCode]:
    """Every QR code zxing-cpp finds (it also reads rotated and mirrored codes), with its box."""
    results = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode,
                                     try_rotate=True, try_downscale=True)
    return [QrCode(result.text, _bounding_box(result.position)) for result in results if result.valid]


def find_qr_texts(image: Image.Image) -> list[str]:
    return [code.text for code in find_qr_codes(image)]


def _bounding_box(position) -> Box:
    corners = [position.top_left, position.top_right, position.bottom_right, position.bottom_left]
    xs, ys = [point.x for point in corners], [point.y for point in corners]
    return min(xs), min(ys), max(xs), max(ys)

