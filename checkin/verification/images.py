"""Safe decoding of uploaded photos. Pure: no Flask, no SQLAlchemy.

An upload is hostile until decoded: the format is taken from the bytes (never the file name
or the declared content type), dimensions are checked before any pixel is decoded, and a
truncated file is an error, not a grey half-picture.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from PIL import Image, ImageFile, ImageOps

from ..timezones import BANGKOK

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "HEIF": "image/heic"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "HEIF": "heic"}
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
# Working copies are never bigger than this on their long side: enough for face detection
# and cheap to make from a JPEG with DCT scaling.
PREVIEW_LONG_SIDE = 1024


class ImageRejected(ValueError):
    """An upload that is not a usable photo. `reason` is a stable machine code."""

    def __init__(self, reason: str, message: str, status_code: int = 422):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.status_code = status_code


@dataclass(frozen=True)
class DecodedImage:
    format: str
    content_type: str
    extension: str
    width: int
    height: int
    preview: Image.Image | None  # RGB, upright, long side <= PREVIEW_LONG_SIDE; None if not asked for
    exif_taken_at: datetime | None  # the camera's DateTimeOriginal, when the file kept it


def sniff_format(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "HEIF"
    return None


def decode_image(data: bytes, *, max_bytes: int, max_pixels: int, preview: bool = True) -> DecodedImage:
    """Check that the photo is safe and whole; with `preview`, also make the working copy.

    Without a preview a JPEG is decoded at 1/8 scale: the decoder still reads every byte (so a
    truncated file fails) at a fraction of the cost."""
    if not data:
        raise ImageRejected("IMAGE_EMPTY", "The photo file is empty.")
    if len(data) > max_bytes:
        raise ImageRejected("IMAGE_TOO_LARGE", f"The photo is larger than {max_bytes // (1024 * 1024)} MB.", 413)
    kind = sniff_format(data)
    if kind is None:
        raise ImageRejected("IMAGE_FORMAT", "The photo must be a JPEG, PNG or HEIC image.", 415)
    if kind == "HEIF":
        _register_heif()

    # face_recognition flips this process-wide switch on import; a truncated upload must fail.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image = Image.open(io.BytesIO(data), formats=[kind])
        width, height = image.size
        if width <= 0 or height <= 0:
            raise ImageRejected("IMAGE_CORRUPT", "The photo has no pixels.")
        if width * height > max_pixels:
            raise ImageRejected(
                "IMAGE_TOO_MANY_PIXELS",
                f"The photo is {width}x{height} pixels; at most {max_pixels:,} pixels are accepted.",
                413,
            )
        taken_at = exif_taken_at(image)
        working_copy = _decode_preview(image) if preview else _validate(image)
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected("IMAGE_TOO_MANY_PIXELS", "The photo has too many pixels.", 413) from None
    except Exception as error:  # Pillow raises many types for bad data (OSError, SyntaxError, ...)
        message = "The photo is truncated or corrupt and cannot be decoded."
        raise ImageRejected("IMAGE_CORRUPT", message) from error
    return DecodedImage(kind, ACCEPTED_FORMATS[kind], EXTENSIONS[kind], width, height, working_copy, taken_at)


def load_luminance(data: bytes) -> Image.Image:
    """The full-resolution grey image, upright; only for files decode_image accepted.

    JPEG decodes only its luminance channel here, which is all a QR reader needs.
    """
    image = Image.open(io.BytesIO(data))
    if image.format == "JPEG":
        image.draft("L", image.size)
    return ImageOps.exif_transpose(image).convert("L")


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


def _validate(image: Image.Image) -> None:
    if image.format == "JPEG":
        image.draft("L", (max(1, image.width // 8), max(1, image.height // 8)))
    image.load()
    return None


def _decode_preview(image: Image.Image) -> Image.Image:
    """Decode every byte (so truncation is caught) into a small RGB copy, upright."""
    if image.format == "JPEG":
        # DCT scaling: the decoder produces a 1/2..1/8 image directly, several times faster.
        image.draft("RGB", (PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE))
    image.load()
    image = ImageOps.exif_transpose(image)
    image.thumbnail((PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE))
    return image.convert("RGB")


_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True
