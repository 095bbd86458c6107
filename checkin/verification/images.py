"""Safe decoding of uploaded photos. Pure: no Flask, no SQLAlchemy.

An upload is hostile until decoded: the format is taken from the bytes (never the file name
or the declared content type), dimensions are checked before any pixel is decoded, and a
truncated file is an error, not a grey half-picture.

Before Pillow sees a byte, the file's structure is walked without decoding pixels (image_structure):
broken structure is refused, EXIF and MPF directories are checked before Pillow parses them
(image_metadata), and a photo that also carries another file (a ZIP or JAR, HTML or script) is
refused. What is taken is a camera's still picture (image_checks). Decompression bombs below the
pixel limit are refused where the decode is full size whatever the preview needs (PNG above
16 MP; HEIF that would expand a thousandfold).

Refusals (ImageRejected, from image_errors): 413 for too big, 415 for a format that is not taken,
422 for a taken format that is not usable. Each carries a stable `reason`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageFile, ImageOps

from .image_checks import (refuse_bit_depth, refuse_body_too_small, refuse_short_png_stream,
                           refuse_smuggled_content, refuse_unless_camera_jpeg_process, refuse_unless_still_picture)
from .image_errors import CORRUPT_MESSAGE, ImageRejected
from .image_metadata import check_tiff_directories, exif_taken_at, without_exif_header
from .image_structure import Layout, walk

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "HEIF": "image/heic"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "HEIF": "heic"}
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
# Working copies are never bigger than this on their long side: enough for face detection
# and cheap to make from a JPEG with DCT scaling.
PREVIEW_LONG_SIDE = 1024
# A PNG is decoded at full size (4 bytes a pixel for colour), whatever the preview needs. 16 MP
# is a 64 MB decode; a camera photo of that size is far over the byte limit as a PNG, so only
# screenshots and decompression bombs come bigger.
MAX_PNG_PIXELS = 16_000_000
# HEIF has no reduced-size decoding: libheif's RGB buffer and Pillow's copy of it cost ~7 bytes a
# pixel (a 12 MP phone photo, ~85 MB). A decode that big from a file a thousand times smaller is a
# decompression bomb (flat colour compresses to almost nothing), not a camera's noisy picture.
HEIF_DECODE_BYTES_PER_PIXEL = 7
LARGE_DECODE_BYTES = 96 * 1024 * 1024
MAX_EXPANSION = 1000


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
    truncated file fails) at a fraction of the cost. Both ways refuse exactly the same files."""
    kind = _accepted_format(data, max_bytes)
    if kind == "HEIF":
        _register_heif()

    # face_recognition flips this process-wide switch on import; a truncated upload must fail.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        layout = _check_structure(kind, data)
        image = Image.open(io.BytesIO(data), formats=[kind])
        width, height = image.size
        _check_size(kind, width, height, len(data), max_pixels)
        _check_content(kind, layout, image, data)
        working_copy = _decode_preview(image, kind) if preview else _validate(image, kind)
        taken_at = exif_taken_at(image)  # after the pixels: reading EXIF must not hide a decode error
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected("IMAGE_TOO_MANY_PIXELS", "The photo has too many pixels.", 413) from None
    except Exception as error:  # Pillow raises many types for bad data (OSError, SyntaxError, ...)
        raise ImageRejected("IMAGE_CORRUPT", CORRUPT_MESSAGE) from error
    return DecodedImage(kind, ACCEPTED_FORMATS[kind], EXTENSIONS[kind], width, height, working_copy, taken_at)


def _accepted_format(data: bytes, max_bytes: int) -> str:
    """The format taken from the bytes, once the upload is known to be neither empty nor too big."""
    if not data:
        raise ImageRejected("IMAGE_EMPTY", "The photo file is empty.")
    if len(data) > max_bytes:
        raise ImageRejected("IMAGE_TOO_LARGE", f"The photo is larger than {max_bytes // (1024 * 1024)} MB.", 413)
    kind = sniff_format(data)
    if kind is None:
        raise ImageRejected("IMAGE_FORMAT", "The photo must be a JPEG, PNG or HEIC image.", 415)
    return kind


def _check_structure(kind: str, data: bytes) -> Layout:
    """What can be refused before Pillow opens the file: its walked structure, coding process,
    bit depth and EXIF/MPF directories."""
    layout = walk(kind, data)  # structure only, no pixels: refuses what is broken
    if kind == "JPEG":
        refuse_unless_camera_jpeg_process(layout)
    if layout.bit_depth > 8:  # Pillow reads a 16-bit PNG as 8-bit colour, and fails on a 12-bit JPEG
        refuse_bit_depth(layout.bit_depth)
    for tiff in layout.tiffs:  # before Pillow parses any of them (JPEG parses EXIF on open)
        check_tiff_directories(tiff)
    return layout


def _check_size(kind: str, width: int, height: int, size: int, max_pixels: int) -> None:
    """The size the header claims, before any pixel is decoded."""
    if width <= 0 or height <= 0:
        raise ImageRejected("IMAGE_CORRUPT", "The photo has no pixels.")
    if width * height > max_pixels:
        raise ImageRejected(
            "IMAGE_TOO_MANY_PIXELS",
            f"The photo is {width}x{height} pixels; at most {max_pixels:,} pixels are accepted.",
            413,
        )
    if kind == "PNG" and width * height > MAX_PNG_PIXELS:
        raise ImageRejected(
            "IMAGE_TOO_MANY_PIXELS",
            f"The PNG photo is {width}x{height} pixels; a PNG may have at most {MAX_PNG_PIXELS:,} "
            "pixels (send the camera's JPEG or HEIC).",
            413,
        )
    if kind == "HEIF":
        _refuse_heif_bomb(width, height, size)


def _check_content(kind: str, layout: Layout, image: Image.Image, data: bytes) -> None:
    """What the opened file holds, before its pixels are decoded: one still picture, no other file
    carried along, as much picture data as the header claims."""
    refuse_unless_still_picture(kind, layout, image)
    refuse_smuggled_content(layout, data)
    if kind == "JPEG":
        refuse_body_too_small(layout, *image.size)
    if kind == "PNG":
        refuse_short_png_stream(layout, data)
    if kind == "HEIF" and image.info.get("exif"):
        check_tiff_directories(without_exif_header(image.info["exif"]))


def load_luminance(data: bytes) -> Image.Image:
    """The full-resolution grey image, upright; only for files decode_image accepted.

    JPEG decodes only its luminance channel here, which is all a QR reader needs.
    """
    image = Image.open(io.BytesIO(data))
    if image.format in ("JPEG", "MPO"):
        image.draft("L", image.size)
    return ImageOps.exif_transpose(image).convert("L")


def _validate(image: Image.Image, kind: str) -> None:
    if kind == "JPEG":  # also an MPO (Pillow's name for a JPEG with more pictures after it)
        image.draft("L", (max(1, image.width // 8), max(1, image.height // 8)))
    image.load()
    return None


def _decode_preview(image: Image.Image, kind: str) -> Image.Image:
    """Decode every byte (so truncation is caught) into a small RGB copy, upright."""
    if kind == "JPEG":
        # DCT scaling: the decoder produces a 1/2..1/8 image directly, several times faster.
        image.draft("RGB", (PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE))
    image.load()
    # Shrink in place first, turn after: turning the full-size decode would copy it.
    image.thumbnail((PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE))
    return ImageOps.exif_transpose(image).convert("RGB")


def _refuse_heif_bomb(width: int, height: int, size: int) -> None:
    decode = width * height * HEIF_DECODE_BYTES_PER_PIXEL
    if decode > LARGE_DECODE_BYTES and decode > MAX_EXPANSION * size:
        raise ImageRejected(
            "IMAGE_TOO_MANY_PIXELS",
            f"The photo claims {width}x{height} pixels in only {size:,} bytes (it would take {decode >> 20} MB to "
            "decode): a decompression bomb, not a camera photo.",
            413,
        )


_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True
