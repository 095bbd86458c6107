"""Finding QR codes in a selfie. Pure: no Flask, no SQLAlchemy."""

from __future__ import annotations

import zxingcpp
from PIL import Image


def find_qr_texts(image: Image.Image) -> list[str]:
    """Every QR text zxing-cpp finds (it also reads rotated and mirrored codes)."""
    results = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode,
                                     try_rotate=True, try_downscale=True)
    return [result.text for result in results if result.valid]
