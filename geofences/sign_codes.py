"""What a check-in sign carries: its signed QR payload, the time step of a screen sign, the QR
image, and what a sighting of one in a selfie means. Pure: no Flask, no SQLAlchemy.

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
DISPLAY_STEPS_ACCEPTED = 1  # a screen code is good in its 30 s step and one either side
PAYLOAD_PATTERN = re.compile(r"^ETK1\.([0-9]{1,10})(?:\.([0-9]{1,12}))?\.([A-Z2-7]{16})$")
QR_ERROR_CORRECTION = "Q"  # recovers 25 % of the symbol: a corner behind a head, a reflection


# What a QR text in a selfie turned out to be; these are also the check-in's reason codes.
SIGN_MATCH = "SIGN_MATCH"  # a valid sign of one of the employee's candidate sites
SIGN_OTHER_SITE = "SIGN_OTHER_SITE"
SIGN_EXPIRED = "SIGN_EXPIRED"  # a screen code outside its time steps
SIGN_REVOKED = "SIGN_REVOKED"
SIGN_INVALID = "SIGN_INVALID"  # not one of our payloads, a wrong MAC, or a printed sign with a time step


@dataclass(frozen=True)
class SignSighting:
    """A QR text in a selfie that parsed as one of our signs, resolved against the sign records."""

    code: str  # one of the SIGN_* codes above
    sign_id: int | None = None
    site_id: int | None = None
    kind: str | None = None  # printed | display; None when not one of our signs


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


def sighting_code(kind: str, *, revoked: bool, time_step: int | None, now_step: int,
                  at_candidate_site: bool) -> str:
    """What a genuine payload of a sign of `kind` means for a check-in at `now_step`."""
    if revoked:
        return SIGN_REVOKED
    if kind == "display" and (time_step is None or abs(time_step - now_step) > DISPLAY_STEPS_ACCEPTED):
        return SIGN_EXPIRED
    if kind == "printed" and time_step is not None:
        return SIGN_INVALID
    return SIGN_MATCH if at_candidate_site else SIGN_OTHER_SITE


def render_qr(payload: str, module_px: int, quiet_zone_modules: int = 4) -> Image.Image:
    """The QR as a black-on-white image, `module_px` pixels per module."""
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_ERROR_CORRECTION)
    modules = Image.fromarray(np.asarray(barcode.to_image(scale=module_px, add_quiet_zones=False)))
    margin = quiet_zone_modules * module_px
    canvas = Image.new("L", (modules.width + 2 * margin, modules.height + 2 * margin), 255)
    canvas.paste(modules.convert("L"), (margin, margin))
    return canvas
