"""Refusals that read the walked structure (image_structure.Layout). Pure: no Flask, no SQLAlchemy.

What is taken is a camera's still picture: 8-bit, greyscale or colour (not CMYK), one frame, in a
JPEG process every browser shows, holding as much picture data as its header claims; a photo that
also carries another file (a ZIP or JAR, HTML or script) is refused.
"""

from __future__ import annotations

import re
import struct
import zlib

from PIL import Image

from .image_errors import ImageRejected, corrupt
from .image_structure import Layout

# ---------------------------------------------------------------- what a still picture is

# Modes of an 8-bit still picture; Pillow decodes 16-bit PNG colour to "RGB", so the bit depth
# is also read from the PNG header.
CAMERA_MODES = frozenset({"1", "L", "LA", "P", "PA", "RGB", "RGBA"})


def refuse_unless_still_picture(kind: str, layout: Layout, image: Image.Image) -> None:
    if image.mode.startswith("I") or image.mode == "F":  # HEIF decoded without conversion to 8 bits
        refuse_bit_depth(16)
    if image.mode not in CAMERA_MODES:
        raise ImageRejected("IMAGE_COLOR_MODE", f"The photo is in {image.mode} colour, not a camera's; "
                            "send an RGB or greyscale photo.")
    # A JPEG with more pictures after it (MPO: depth maps, previews) is still one photo; PNG and
    # HEIF frames are animation or a burst.
    if kind != "JPEG" and (layout.animated or getattr(image, "n_frames", 1) > 1):
        raise ImageRejected("IMAGE_ANIMATED", "The photo is animated or holds several pictures; "
                            "send one still photo.")


def refuse_bit_depth(bits: int) -> None:
    raise ImageRejected("IMAGE_BIT_DEPTH", f"The photo has {bits} bits per channel; send an 8-bit camera photo.")


# Baseline, extended sequential and progressive, Huffman-coded: what cameras write.
_CAMERA_JPEG_PROCESSES = {0xC0, 0xC1, 0xC2}


def refuse_unless_camera_jpeg_process(layout: Layout) -> None:
    if layout.sof not in _CAMERA_JPEG_PROCESSES:
        raise ImageRejected("IMAGE_FORMAT", "Only baseline and progressive JPEG photos are accepted (this one "
                            "is lossless, arithmetic-coded or hierarchical, which browsers cannot show).", 415)


def refuse_body_too_small(layout: Layout, width: int, height: int) -> None:
    """Every 8x8 block of a Huffman-coded JPEG costs at least one bit; a file with less coded
    data than that claims a size it does not hold (the decoder would paint the rest grey)."""
    blocks = -(-width // 8) * -(-height // 8)
    if layout.coded_bytes * 8 < blocks:
        raise ImageRejected("IMAGE_CORRUPT", "The photo is truncated or corrupt: it holds less data than its "
                            f"{width}x{height} pixels need.")


def refuse_short_png_stream(layout: Layout, data: bytes) -> None:
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
        raise corrupt() from None
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


def refuse_smuggled_content(layout: Layout, data: bytes) -> None:
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
