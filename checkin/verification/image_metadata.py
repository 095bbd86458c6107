"""EXIF and MPF metadata (TIFF directories). Pure: no Flask, no SQLAlchemy.

EXIF and MPF directories are checked before Pillow parses them (Pillow walks every entry of a
directory, up to 65,535, each time it is read); the camera's time is read from EXIF after the
pixels are decoded.
"""

from __future__ import annotations

import struct
from datetime import datetime, timedelta, timezone

from PIL import Image

from ..timezones import BANGKOK
from .image_errors import ImageRejected

# An EXIF directory of a camera has tens of entries; thousands are an attack on the parser.
MAX_IFD_ENTRIES = 1000
MAX_IFDS = 16

EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011


def exif_taken_at(image: Image.Image) -> datetime | None:
    """DateTimeOriginal with its offset when given; phones without one write local time,
    which for this product is Asia/Bangkok."""
    try:
        exif = image.getexif().get_ifd(EXIF_IFD)
        taken = datetime.strptime(str(exif[DATE_TIME_ORIGINAL]).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (KeyError, ValueError, TypeError, AttributeError, OSError):
        return None
    zone = BANGKOK
    offset = str(exif.get(OFFSET_TIME_ORIGINAL, "")).strip("\x00 ")
    if len(offset) == 6 and offset[0] in "+-" and offset[3] == ":":
        try:
            sign = 1 if offset[0] == "+" else -1
            zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
        except ValueError:
            pass
    return taken.replace(tzinfo=zone)


_TIFF_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4,
                    16: 8, 17: 8, 18: 8}
_SUB_IFD_TAGS = {0x8769, 0x8825, 0xA005}  # Exif, GPS, Interoperability


def check_tiff_directories(tiff: bytes) -> None:
    """Refuse a TIFF structure (EXIF, MPF) that costs its parser far more than its size: a
    directory of thousands of entries (Pillow walks each: two of 65,535 take ~0.4 s and ~40 MB),
    or entries whose values overlap, so the same bytes are read again for each (Pillow 13 stops
    at the block's size; older versions did not). Malformed in other ways, it is left to Pillow,
    which skips what it cannot read."""
    if len(tiff) < 8 or tiff[:4] not in (b"II*\x00", b"MM\x00*"):
        return
    order = "<" if tiff[:2] == b"II" else ">"
    pending = [(struct.unpack_from(order + "I", tiff, 4)[0], True)]
    seen: set[int] = set()
    values = 0
    while pending:
        at, follow_next = pending.pop()
        if at < 8 or at in seen or at + 2 > len(tiff):  # 0: no next directory
            continue
        seen.add(at)
        if len(seen) > MAX_IFDS:
            _refuse_metadata("too many directories")
        count = struct.unpack_from(order + "H", tiff, at)[0]
        if count > MAX_IFD_ENTRIES:
            _refuse_metadata(f"a directory of {count} entries")
        for entry in range(at + 2, min(at + 2 + 12 * count, len(tiff) - 11), 12):
            tag, kind, number, value = struct.unpack_from(order + "HHII", tiff, entry)
            size = _TIFF_TYPE_SIZES.get(kind, 0) * number
            if size > 4:
                values += max(0, min(size, len(tiff) - value))
            if tag in _SUB_IFD_TAGS:
                pending.append((value, False))
        end = at + 2 + 12 * count
        if follow_next and end + 4 <= len(tiff):  # IFD0 -> IFD1 (the thumbnail's)
            pending.append((struct.unpack_from(order + "I", tiff, end)[0], False))
    if values > 2 * len(tiff) + 4096:
        _refuse_metadata(f"values that would be read as {values:,} bytes from a {len(tiff):,}-byte block")


def _refuse_metadata(detail: str) -> None:
    raise ImageRejected("IMAGE_METADATA", f"The photo's EXIF metadata is malformed ({detail}); "
                        "send the camera's photo as taken.")


def without_exif_header(exif: bytes) -> bytes:
    return exif[6:] if exif.startswith(b"Exif\x00\x00") else exif
