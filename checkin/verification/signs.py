"""Check-in signs: compact signed QR payloads, their rendering and their detection in a selfie.
Pure: no Flask, no SQLAlchemy.

Payload: `ETK1.<sign id>.<MAC>` for a printed sign and `ETK1.<sign id>.<time step>.<MAC>` for
a screen that shows a rotating code. Only upper-case letters, digits and '.' appear, so the QR
uses its dense alphanumeric mode: version 2 (25 x 25 modules) at error correction Q, which
stays readable small, tilted or slightly blurred in the background of a selfie. The MAC is
80 bits of HMAC-SHA256: a sign cannot be forged for another site without the server's key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

import numpy as np
import zxingcpp
from PIL import Image

PREFIX = "ETK1"
MAC_BYTES = 10
DISPLAY_STEP_SECONDS = 30
PAYLOAD_PATTERN = re.compile(r"^ETK1\.([0-9]{1,10})(?:\.([0-9]{1,12}))?\.([A-Z2-7]{16})$")
QR_ERROR_CORRECTION = "Q"  # recovers 25 % of the symbol: a corner behind a head, a reflection
# A module narrower than this in the scanned image is unlikely to decode (PRODUCT.md: ~4 px).
MIN_PIXELS_PER_MODULE = 3


@dataclass(frozen=True)
class SignPayload:
    sign_id: int
    time_step: int | None  # None for a printed sign


def _mac(key: bytes, sign_id: int, time_step: int | None) -> str:
    message = f"{PREFIX}.{sign_id}" + ("" if time_step is None else f".{time_step}")
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()[:MAC_BYTES]
    return base64.b32encode(digest).decode()


def make_payload(key: bytes, sign_id: int, time_step: int | None = None) -> str:
    middle = f"{sign_id}" if time_step is None else f"{sign_id}.{time_step}"
    return f"{PREFIX}.{middle}.{_mac(key, sign_id, time_step)}"


def parse_payload(key: bytes, text: str) -> SignPayload | None:
    """The sign a QR text stands for, or None when it is not one of ours or the MAC is wrong."""
    match = PAYLOAD_PATTERN.match(text.strip())
    if match is None:
        return None
    sign_id, time_step = int(match.group(1)), match.group(2)
    time_step = None if time_step is None else int(time_step)
    if not hmac.compare_digest(match.group(3), _mac(key, sign_id, time_step)):
        return None
    return SignPayload(sign_id, time_step)


def display_time_step(unix_seconds: float) -> int:
    return int(unix_seconds // DISPLAY_STEP_SECONDS)


def render_qr(payload: str, module_px: int, quiet_zone_modules: int = 4) -> Image.Image:
    """The QR as a black-on-white image, `module_px` pixels per module."""
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_ERROR_CORRECTION)
    modules = Image.fromarray(np.asarray(barcode.to_image(scale=module_px, add_quiet_zones=False)))
    margin = quiet_zone_modules * module_px
    canvas = Image.new("L", (modules.width + 2 * margin, modules.height + 2 * margin), 255)
    canvas.paste(modules.convert("L"), (margin, margin))
    return canvas


def find_qr_texts(image: Image.Image) -> list[str]:
    """Every QR text zxing-cpp finds (it also reads rotated and mirrored codes)."""
    results = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode,
                                     try_rotate=True, try_downscale=True)
    return [result.text for result in results if result.valid]
