"""Safe decoding of uploaded photos. Pure: no Flask, no SQLAlchemy.

An upload is hostile until decoded: the format is taken from the bytes (never the file name
or the declared content type), dimensions are checked before any pixel is decoded, and a
truncated file is an error, not a grey half-picture.

Before Pillow sees a byte, the file's structure is walked without decoding pixels (JPEG
segments, PNG chunks with their CRCs, HEIF top-level boxes, ~0.4 ms a megabyte): broken structure
is refused, EXIF and MPF directories are checked before Pillow parses them (Pillow walks every
entry of a directory, up to 65,535, each time it is read), and a photo that also carries another
file (a ZIP or JAR, HTML or script) is refused. What is taken is a camera's still picture: 8-bit,
greyscale or colour (not CMYK), one frame, in a JPEG process every browser shows. Decompression
bombs below the pixel limit are refused where the decode is full size whatever the preview
needs (PNG above 16 MP; HEIF that would expand a thousandfold).

Refusals: 413 for too big, 415 for a format that is not taken, 422 for a taken format that is
not usable. Each carries a stable `reason`.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from PIL import Image, ImageFile, ImageOps

from ..timezones import BANGKOK

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
# Modes of an 8-bit still picture; Pillow decodes 16-bit PNG colour to "RGB", so the bit depth
# is also read from the PNG header.
CAMERA_MODES = frozenset({"1", "L", "LA", "P", "PA", "RGB", "RGBA"})
# An EXIF directory of a camera has tens of entries; thousands are an attack on the parser.
MAX_IFD_ENTRIES = 1000
MAX_IFDS = 16

CORRUPT_MESSAGE = "The photo is truncated or corrupt and cannot be decoded."


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
    truncated file fails) at a fraction of the cost. Both ways refuse exactly the same files."""
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
        layout = _WALKERS[kind](data)  # structure only, no pixels: refuses what is broken
        if kind == "JPEG" and layout.sof not in _CAMERA_JPEG_PROCESSES:
            raise ImageRejected("IMAGE_FORMAT", "Only baseline and progressive JPEG photos are accepted (this one "
                                "is lossless, arithmetic-coded or hierarchical, which browsers cannot show).", 415)
        if layout.bit_depth > 8:  # Pillow reads a 16-bit PNG as 8-bit colour, and fails on a 12-bit JPEG
            _refuse_bit_depth(layout.bit_depth)
        for tiff in layout.tiffs:  # before Pillow parses any of them (JPEG parses EXIF on open)
            check_tiff_directories(tiff)
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
        if kind == "PNG" and width * height > MAX_PNG_PIXELS:
            raise ImageRejected(
                "IMAGE_TOO_MANY_PIXELS",
                f"The PNG photo is {width}x{height} pixels; a PNG may have at most {MAX_PNG_PIXELS:,} "
                "pixels (send the camera's JPEG or HEIC).",
                413,
            )
        if kind == "HEIF":
            _refuse_heif_bomb(width, height, len(data))
        _refuse_unless_still_picture(kind, layout, image)
        _refuse_smuggled_content(layout, data)
        if kind == "JPEG":
            _refuse_body_too_small(layout, width, height)
        if kind == "PNG":
            _refuse_short_png_stream(layout, data)
        if kind == "HEIF" and image.info.get("exif"):
            check_tiff_directories(_without_exif_header(image.info["exif"]))
        working_copy = _decode_preview(image, kind) if preview else _validate(image, kind)
        taken_at = exif_taken_at(image)  # after the pixels: reading EXIF must not hide a decode error
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected("IMAGE_TOO_MANY_PIXELS", "The photo has too many pixels.", 413) from None
    except Exception as error:  # Pillow raises many types for bad data (OSError, SyntaxError, ...)
        raise ImageRejected("IMAGE_CORRUPT", CORRUPT_MESSAGE) from error
    return DecodedImage(kind, ACCEPTED_FORMATS[kind], EXTENSIONS[kind], width, height, working_copy, taken_at)


def load_luminance(data: bytes) -> Image.Image:
    """The full-resolution grey image, upright; only for files decode_image accepted.

    JPEG decodes only its luminance channel here, which is all a QR reader needs.
    """
    image = Image.open(io.BytesIO(data))
    if image.format in ("JPEG", "MPO"):
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


# ---------------------------------------------------------------- what a still picture is

def _refuse_unless_still_picture(kind: str, layout: _Layout, image: Image.Image) -> None:
    if image.mode.startswith("I") or image.mode == "F":  # HEIF decoded without conversion to 8 bits
        _refuse_bit_depth(16)
    if image.mode not in CAMERA_MODES:
        raise ImageRejected("IMAGE_COLOR_MODE", f"The photo is in {image.mode} colour, not a camera's; "
                            "send an RGB or greyscale photo.")
    # A JPEG with more pictures after it (MPO: depth maps, previews) is still one photo; PNG and
    # HEIF frames are animation or a burst.
    if kind != "JPEG" and (layout.animated or getattr(image, "n_frames", 1) > 1):
        raise ImageRejected("IMAGE_ANIMATED", "The photo is animated or holds several pictures; "
                            "send one still photo.")


def _refuse_bit_depth(bits: int) -> None:
    raise ImageRejected("IMAGE_BIT_DEPTH", f"The photo has {bits} bits per channel; send an 8-bit camera photo.")


# Baseline, extended sequential and progressive, Huffman-coded: what cameras write.
_CAMERA_JPEG_PROCESSES = {0xC0, 0xC1, 0xC2}


def _refuse_body_too_small(layout: _Layout, width: int, height: int) -> None:
    """Every 8x8 block of a Huffman-coded JPEG costs at least one bit; a file with less coded
    data than that claims a size it does not hold (the decoder would paint the rest grey)."""
    blocks = -(-width // 8) * -(-height // 8)
    if layout.coded_bytes * 8 < blocks:
        raise ImageRejected("IMAGE_CORRUPT", "The photo is truncated or corrupt: it holds less data than its "
                            f"{width}x{height} pixels need.")


def _refuse_short_png_stream(layout: _Layout, data: bytes) -> None:
    """Pillow takes a complete deflate stream that holds fewer rows than the header claims and
    paints the rest black; count what the stream inflates to (a megabyte at a time, discarded)."""
    width, height, colour_type, interlaced = layout.png_header
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]
    passes = _ADAM7 if interlaced else ((0, 0, 1, 1),)
    expected = 0
    for x0, y0, dx, dy in passes:
        columns, rows = -(-(width - x0) // dx), -(-(height - y0) // dy)
        if columns > 0 and rows > 0:
            expected += rows * (1 + -(-(columns * channels * layout.bit_depth) // 8))
    stream, inflated, view = zlib.decompressobj(), 0, memoryview(data)
    try:
        for start, end in layout.idat:
            pending = view[start:end]
            while pending and inflated < expected:
                inflated += len(stream.decompress(pending, 1 << 20))
                pending = stream.unconsumed_tail
    except zlib.error:
        raise _corrupt() from None
    if inflated < expected:
        raise ImageRejected("IMAGE_CORRUPT", f"The photo is truncated or corrupt: it holds {inflated:,} of the "
                            f"{expected:,} bytes of rows its header claims.")


# (first column, first row, column step, row step) of the seven interlaced passes
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


# Markup a browser would run, and a PDF header (readers look for it anywhere near the start).
# Only looked for in metadata and in unknown bytes after the picture's end, never in compressed
# picture data; every pattern is at least six bytes long, so coded data (an EXIF thumbnail, a
# camera's trailer) matches one by chance about once in a million photos. ZIP and JAR are found
# by their end record instead (_zip_end_record), which is what their readers look for.
_ACTIVE_CONTENT = re.compile(
    rb"<(?i:script|html|body|iframe|object|embed|\?php)[\s>/]|(?i:javascript):|%PDF-")
_ACTIVE_NAMES = {b"<": "HTML or script", b"j": "script", b"J": "script", b"%": "a PDF"}


def _refuse_smuggled_content(layout: _Layout, data: bytes) -> None:
    if _zip_end_record(data):
        _refuse_polyglot("a ZIP or JAR archive")
    for text in (*layout.metadata, layout.trailing):
        found = _ACTIVE_CONTENT.search(text)
        if found:
            _refuse_polyglot(_ACTIVE_NAMES.get(found.group()[:1], "another file"))


def _refuse_polyglot(what: str) -> None:
    raise ImageRejected("IMAGE_POLYGLOT", f"The photo also carries {what}; send the camera's photo as taken.")


def _zip_end_record(data: bytes) -> bool:
    """True when a ZIP reader would open the file: an end-of-central-directory record within
    the last 64 KB whose comment runs exactly to the end of the file."""
    start = max(0, len(data) - 22 - 0xFFFF)
    at = data.rfind(b"PK\x05\x06", start)
    while at >= 0:
        if at + 22 <= len(data) and at + 22 + struct.unpack_from("<H", data, at + 20)[0] == len(data):
            return True
        at = data.rfind(b"PK\x05\x06", start, at + 3)
    return False


# ---------------------------------------------------------------- EXIF / MPF directories

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


def _without_exif_header(exif: bytes) -> bytes:
    return exif[6:] if exif.startswith(b"Exif\x00\x00") else exif


# ---------------------------------------------------------------- structure walkers (no pixels)

@dataclass
class _Layout:
    metadata: list[bytes] = field(default_factory=list)  # comments, XMP, text chunks: never pixels
    tiffs: list[bytes] = field(default_factory=list)  # EXIF and MPF directories, checked before Pillow
    trailing: bytes = b""  # bytes after the picture's end that are not another picture or a video
    sof: int | None = None  # JPEG: the frame marker (the coding process)
    coded_bytes: int = 0  # JPEG: entropy-coded bytes of all scans
    bit_depth: int = 8
    png_header: tuple[int, int, int, int] = (0, 0, 0, 0)  # width, height, colour type, interlaced
    idat: list[tuple[int, int]] = field(default_factory=list)  # PNG: where each IDAT's data is
    animated: bool = False  # PNG: an animation control chunk for several frames; HEIF: a sequence


def _corrupt(detail: str = "") -> ImageRejected:
    return ImageRejected("IMAGE_CORRUPT", f"The photo is truncated or corrupt{detail} and cannot be decoded.")


# In entropy-coded data 0xFF is followed by 0x00 (a stuffed byte) or a restart marker; anything
# else (fill bytes 0xFF included) starts the next marker. A one-byte literal prefix keeps the
# regex engine on its fast scan: ~0.4 ms a megabyte.
_MARKER_IN_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7]")
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _walk_jpeg(data: bytes) -> _Layout:
    layout, size, pos = _Layout(), len(data), 2
    scans = 0
    while True:
        if pos >= size or data[pos] != 0xFF:
            raise _corrupt(" (it ends before its end marker)" if pos >= size else "")
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            raise _corrupt()
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # standalone markers
            continue
        if marker < 0xC0 or marker == 0xD8:
            raise _corrupt()
        if pos + 2 > size:
            raise _corrupt()
        length = struct.unpack_from(">H", data, pos)[0]
        if length < 2 or pos + length > size:
            raise _corrupt()
        payload = data[pos + 2:pos + length]
        pos += length
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn, COM
            layout.metadata.append(payload)
            if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
                layout.tiffs.append(payload[6:])
            elif marker == 0xE2 and payload.startswith(b"MPF\x00"):
                layout.tiffs.append(payload[4:])
        elif marker in _SOF_MARKERS:
            if layout.sof is not None or len(payload) < 6:
                raise _corrupt()
            layout.sof, layout.bit_depth = marker, payload[0]
        elif marker == 0xDA:  # SOS: skip the entropy-coded data to the next marker
            if layout.sof is None:
                raise _corrupt()
            scans += 1
            found = _MARKER_IN_SCAN.search(data, pos)
            if found is None:
                raise _corrupt(" (it ends before its end marker)")
            layout.coded_bytes += found.start() - pos
            pos = found.start()
    if not scans:
        raise _corrupt()
    layout.trailing = _unknown_trailer(data[pos:])
    return layout


def _unknown_trailer(trailing: bytes) -> bytes:
    """What follows the picture, unless it is padding, another JPEG (MPO: depth map, preview) or
    an ISO media file right after it (a motion photo's video): those hold coded data, not text."""
    if (not trailing.strip(b"\x00\xff") or trailing.lstrip(b"\x00").startswith(b"\xff\xd8\xff")
            or trailing[4:8] == b"ftyp"):
        return b""
    return trailing


_TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")
_PNG_COLOUR_TYPES = {0, 2, 3, 4, 6}


def _walk_png(data: bytes) -> _Layout:
    """Every chunk whole and with its right CRC (Pillow does not check IDAT CRCs), the header's
    bit depth, animation frames, text and EXIF kept for the checks."""
    layout, size, pos = _Layout(), len(data), 8
    view = memoryview(data)
    if data[8:16] != b"\x00\x00\x00\x0dIHDR":
        raise _corrupt()
    seen_idat = False
    while True:
        if pos + 12 > size:
            raise _corrupt(" (it ends before its end chunk)")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > size or not kind.isalpha():
            raise _corrupt()
        body = view[pos + 8:pos + 8 + length]
        if zlib.crc32(body, zlib.crc32(kind)) != struct.unpack_from(">I", data, end - 4)[0]:
            raise _corrupt(" (a chunk fails its checksum)")
        pos = end
        if kind == b"IHDR":
            if length != 13 or layout.png_header[0]:
                raise _corrupt()
            width, height, layout.bit_depth, colour_type, _, _, interlace = struct.unpack_from(">IIBBBBB", body)
            if colour_type not in _PNG_COLOUR_TYPES:
                raise _corrupt()
            layout.png_header = (width, height, colour_type, interlace)
        elif kind == b"IDAT":
            seen_idat = True
            layout.idat.append((end - 4 - length, end - 4))
        elif kind == b"acTL" and length >= 4:
            layout.animated = struct.unpack_from(">I", body)[0] > 1
        elif kind == b"eXIf":
            layout.tiffs.append(_without_exif_header(bytes(body)))
        elif kind in _TEXT_CHUNKS:
            keyword, text = _png_text(kind, bytes(body))
            layout.metadata.append(text)
            if keyword.lower() in (b"raw profile type exif", b"raw profile type app1"):
                layout.tiffs.append(_raw_profile(text))
        elif kind == b"IEND":
            break
    if not seen_idat:
        raise _corrupt()
    layout.trailing = _unknown_trailer(data[pos:])
    return layout


def _png_text(kind: bytes, body: bytes) -> tuple[bytes, bytes]:
    keyword, _, text = body.partition(b"\x00")
    compressed = kind == b"zTXt" or (kind == b"iTXt" and text[:1] == b"\x01")
    if kind == b"iTXt":  # flag, method, language\0, translated keyword\0, text
        text = text[2:].split(b"\x00", 2)[-1]
    elif kind == b"zTXt":
        text = text[1:]
    if compressed:
        try:  # at most what Pillow itself would inflate
            text = zlib.decompressobj().decompress(text, ImageFile.SAFEBLOCK)
        except zlib.error:
            raise _corrupt() from None
    return keyword, text


def _raw_profile(text: bytes) -> bytes:
    """ImageMagick's hex-encoded EXIF text chunk, decoded the way Pillow decodes it."""
    try:
        return _without_exif_header(bytes.fromhex("".join(text.decode("latin-1").split("\n")[3:])))
    except ValueError:
        return b""


def _walk_heif(data: bytes) -> _Layout:
    """Top-level boxes only: the rest is libheif's. An image sequence ('moov') is animation; bytes
    that do not form a box are kept to look at (libheif itself refuses a truncated box)."""
    layout, size, pos = _Layout(), len(data), 0
    while pos + 8 <= size:
        length, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if length == 1 and pos + 16 <= size:
            length, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif length == 0:
            length = size - pos
        if length < header or pos + length > size:
            break
        if kind == b"moov":
            layout.animated = True
        pos += length
    layout.trailing = data[pos:]
    return layout


_WALKERS = {"JPEG": _walk_jpeg, "PNG": _walk_png, "HEIF": _walk_heif}


_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True
