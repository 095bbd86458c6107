"""The file's structure, walked without decoding pixels. Pure: no Flask, no SQLAlchemy.

JPEG segments, PNG chunks with their CRCs, HEIF top-level boxes, ~0.4 ms a megabyte: broken
structure is refused, and what the checks need is kept in a Layout (metadata and trailing bytes,
the EXIF and MPF directories to check before Pillow parses them, the JPEG coding process and
coded size, the PNG header and where its pixel data is).
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field

from PIL import ImageFile

from .image_errors import corrupt
from .image_metadata import without_exif_header


@dataclass
class Layout:
    metadata: list[bytes] = field(default_factory=list)  # comments, XMP, text chunks: never pixels
    tiffs: list[bytes] = field(default_factory=list)  # EXIF and MPF directories, checked before Pillow
    trailing: bytes = b""  # bytes after the picture's end that are not another picture or a video
    sof: int | None = None  # JPEG: the frame marker (the coding process)
    coded_bytes: int = 0  # JPEG: entropy-coded bytes of all scans
    bit_depth: int = 8
    png_header: tuple[int, int, int, int] = (0, 0, 0, 0)  # width, height, colour type, interlaced
    idat: list[tuple[int, int]] = field(default_factory=list)  # PNG: where each IDAT's data is
    animated: bool = False  # PNG: an animation control chunk for several frames; HEIF: a sequence


# In entropy-coded data 0xFF is followed by 0x00 (a stuffed byte) or a restart marker; anything
# else (fill bytes 0xFF included) starts the next marker. A one-byte literal prefix keeps the
# regex engine on its fast scan: ~0.4 ms a megabyte.
_MARKER_IN_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7]")
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _walk_jpeg(data: bytes) -> Layout:
    layout, size, pos = Layout(), len(data), 2
    scans = 0
    while True:
        if pos >= size or data[pos] != 0xFF:
            raise corrupt(" (it ends before its end marker)" if pos >= size else "")
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            raise corrupt()
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # standalone markers
            continue
        if marker < 0xC0 or marker == 0xD8:
            raise corrupt()
        if pos + 2 > size:
            raise corrupt()
        length = struct.unpack_from(">H", data, pos)[0]
        if length < 2 or pos + length > size:
            raise corrupt()
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
                raise corrupt()
            layout.sof, layout.bit_depth = marker, payload[0]
        elif marker == 0xDA:  # SOS: skip the entropy-coded data to the next marker
            if layout.sof is None:
                raise corrupt()
            scans += 1
            found = _MARKER_IN_SCAN.search(data, pos)
            if found is None:
                raise corrupt(" (it ends before its end marker)")
            layout.coded_bytes += found.start() - pos
            pos = found.start()
    if not scans:
        raise corrupt()
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


def _walk_png(data: bytes) -> Layout:
    """Every chunk whole and with its right CRC (Pillow does not check IDAT CRCs), the header's
    bit depth, animation frames, text and EXIF kept for the checks."""
    layout, size, pos = Layout(), len(data), 8
    view = memoryview(data)
    if data[8:16] != b"\x00\x00\x00\x0dIHDR":
        raise corrupt()
    seen_idat = False
    while True:
        if pos + 12 > size:
            raise corrupt(" (it ends before its end chunk)")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > size or not kind.isalpha():
            raise corrupt()
        body = view[pos + 8:pos + 8 + length]
        if zlib.crc32(body, zlib.crc32(kind)) != struct.unpack_from(">I", data, end - 4)[0]:
            raise corrupt(" (a chunk fails its checksum)")
        pos = end
        if kind == b"IHDR":
            if length != 13 or layout.png_header[0]:
                raise corrupt()
            width, height, layout.bit_depth, colour_type, _, _, interlace = struct.unpack_from(">IIBBBBB", body)
            if colour_type not in _PNG_COLOUR_TYPES:
                raise corrupt()
            layout.png_header = (width, height, colour_type, interlace)
        elif kind == b"IDAT":
            seen_idat = True
            layout.idat.append((end - 4 - length, end - 4))
        elif kind == b"acTL" and length >= 4:
            layout.animated = struct.unpack_from(">I", body)[0] > 1
        elif kind == b"eXIf":
            layout.tiffs.append(without_exif_header(bytes(body)))
        elif kind in _TEXT_CHUNKS:
            keyword, text = _png_text(kind, bytes(body))
            layout.metadata.append(text)
            if keyword.lower() in (b"raw profile type exif", b"raw profile type app1"):
                layout.tiffs.append(_raw_profile(text))
        elif kind == b"IEND":
            break
    if not seen_idat:
        raise corrupt()
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
            raise corrupt() from None
    return keyword, text


def _raw_profile(text: bytes) -> bytes:
    """ImageMagick's hex-encoded EXIF text chunk, decoded the way Pillow decodes it."""
    try:
        return without_exif_header(bytes.fromhex("".join(text.decode("latin-1").split("\n")[3:])))
    except ValueError:
        return b""


def _walk_heif(data: bytes) -> Layout:
    """Top-level boxes only: the rest is libheif's. An image sequence ('moov') is animation; bytes
    that do not form a box are kept to look at (libheif itself refuses a truncated box)."""
    layout, size, pos = Layout(), len(data), 0
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


def walk(kind: str, data: bytes) -> Layout:
    """The layout of a file of an accepted format (see images.sniff_format); refuses broken structure."""
    return _WALKERS[kind](data)
