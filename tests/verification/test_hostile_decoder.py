"""The safe decoder against the hostile corpus of tests/support/hostile_corpus.py, pure: both ways
of decoding (with a preview, and the deferred 1/8-scale proof) refuse exactly the same files with
the same reason, and every real photo shape is still taken."""

import io
import statistics
import struct
import time
import zlib

import pytest
from PIL import Image

from checkin.verification.image_metadata import check_tiff_directories
from checkin.verification.images import MAX_PNG_PIXELS, ImageRejected, decode_image, load_luminance
from tests.support.hostile_corpus import (ACCEPTED, HOSTILE, SEED, corpus_item, encode, photo, png, png_chunk,
                                          with_jpeg_segment)
from tests.support.measuring import Measured

LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_pixels": 50_000_000}


def refusal(data: bytes, preview: bool, **limits) -> tuple[int, str] | None:
    try:
        decode_image(data, **{**LIMITS, **limits}, preview=preview)
    except ImageRejected as rejection:
        return rejection.status_code, rejection.reason
    return None


@pytest.mark.parametrize("name", list(HOSTILE))
def test_both_ways_of_decoding_refuse_the_hostile_file_alike(name):
    data = corpus_item(name)
    _, status, reason = HOSTILE[name]
    for preview in (True, False):
        with Measured() as cost:
            refused = refusal(data, preview)
        assert refused == (status, reason), f"preview={preview}"
        assert cost.seconds < 0.5 and cost.grown_mb < 50, (preview, cost.seconds, cost.grown_mb)


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_real_photo_shapes_are_taken_both_ways(name):
    data = corpus_item(name)
    full = decode_image(data, **LIMITS)
    proof = decode_image(data, **LIMITS, preview=False)
    assert (full.format, full.width, full.height) == (proof.format, proof.width, proof.height)
    assert proof.preview is None
    assert full.preview.mode == "RGB" and max(full.preview.size) <= 1024


def test_the_preview_is_upright_after_shrinking_first():
    image = Image.new("RGB", (4000, 3000), (200, 100, 50))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to view
    decoded = decode_image(encode(image, "PNG", exif=exif), **LIMITS)
    assert (decoded.width, decoded.height) == (4000, 3000)
    assert decoded.preview.size == (768, 1024)


def test_a_png_at_the_png_limit_decodes_within_100_mb_and_one_pixel_more_is_413():
    at_limit = png(4000, 4000)  # 16,000,000 pixels of zeros: a small file
    with Measured() as cost:
        decode_image(at_limit, **LIMITS)
    assert cost.grown_mb < 100
    assert refusal(png(4001, 4000), True) == (413, "IMAGE_TOO_MANY_PIXELS")
    assert 4000 * 4000 == MAX_PNG_PIXELS


def test_a_bad_png_data_stream_is_corrupt_even_though_reading_exif_would_load_it_quietly():
    """Pillow's PNG getexif() loads the pixels and the EXIF reader swallows OSError: the decode
    error must surface from decoding, not be eaten by reading the time taken."""
    rows = bytes(48 * (1 + 64 * 3))
    broken_stream = zlib.compress(rows)[:-40] + bytes(40)  # right CRCs, wrong deflate data
    data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 48, 8, 2, 0, 0, 0))
            + png_chunk(b"IDAT", broken_stream) + png_chunk(b"IEND", b""))
    assert refusal(data, True) == (422, "IMAGE_CORRUPT")
    assert refusal(data, False) == (422, "IMAGE_CORRUPT")


def test_zip_signatures_inside_a_photo_are_not_a_zip_unless_a_reader_would_open_it():
    jpeg = encode(photo(320, 240), "JPEG")
    # an end-of-central-directory record in a comment, not reaching the end of the file
    assert refusal(with_jpeg_segment(jpeg, 0xFE, b"PK\x05\x06" + bytes(18)), True) is None
    # the same record as the very end of the file: a ZIP reader opens it
    assert refusal(jpeg + b"PK\x05\x06" + bytes(18), True) == (422, "IMAGE_POLYGLOT")


def test_padding_after_the_end_marker_is_not_content():
    jpeg = encode(photo(320, 240), "JPEG")
    assert refusal(jpeg + bytes(4096), True) is None
    assert refusal(jpeg + b"\xff" * 64, False) is None


def test_xmp_and_ordinary_exif_are_not_markup_or_a_bomb():
    exif = Image.Exif()
    exif[0x010E] = "Selfie at the gate <3"  # ImageDescription
    exif.get_ifd(0x8769)[0x9003] = "2024:06:11 08:01:02"
    exif.get_ifd(0x8825)[2] = (13.0, 45.0, 11.52)  # GPSLatitude
    data = encode(photo(320, 240), "JPEG", exif=exif, xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    check_tiff_directories(exif.tobytes()[6:])
    decoded = decode_image(data, **LIMITS)
    assert decoded.exif_taken_at is not None


def test_a_tiff_directory_of_a_thousand_and_one_entries_or_looping_values_is_refused():
    entries = 1001
    directory = struct.pack("<H", entries) + bytes(12 * entries) + bytes(4)
    with pytest.raises(ImageRejected) as caught:
        check_tiff_directories(b"II*\x00" + struct.pack("<I", 8) + directory)
    assert caught.value.reason == "IMAGE_METADATA"
    # 30 entries each pointing at the same 1 KB: 30 KB read from a 1.4 KB block
    value_at = 8 + 2 + 30 * 12 + 4
    overlapping = struct.pack("<H", 30) + b"".join(
        struct.pack("<HHII", 0x100 + i, 7, 1024, value_at) for i in range(30)) + bytes(4)
    with pytest.raises(ImageRejected):
        check_tiff_directories(b"II*\x00" + struct.pack("<I", 8) + overlapping + bytes(1024))


def test_an_mpo_is_decoded_at_reduced_size_like_any_jpeg():
    big = photo(4000, 3000)
    data = encode(big, "MPO", save_all=True, append_images=[big.resize((400, 300))])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    assert decode_image(data, **LIMITS, preview=False).width == 4000
    assert load_luminance(data).size == (4000, 3000)


def test_the_deferred_proof_of_a_jpeg_stays_fast():
    """bench: a 1280x960 JPEG proven whole at 1/8 scale in ~3 ms; the structure walk adds
    ~0.4 ms a megabyte. Best of several runs, so a busy machine does not fail it."""
    data = encode(photo(1280, 960, seed=SEED), "JPEG", quality=90)
    runs = []
    for _ in range(15):
        started = time.perf_counter()
        decode_image(data, **LIMITS, preview=False)
        runs.append(time.perf_counter() - started)
    assert min(runs) < 0.010, statistics.median(runs)


def test_a_png_with_whole_chunks_but_too_few_rows_is_refused_despite_the_global_switch(monkeypatch):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing face_recognition does
    rows = bytes(24 * (1 + 64 * 3))  # 24 of 48 rows, in a complete deflate stream
    data = png(64, 48, rows=rows)
    assert refusal(data, True) == (422, "IMAGE_CORRUPT")
    assert refusal(data, False) == (422, "IMAGE_CORRUPT")


@pytest.mark.parametrize("name", ["jpeg-camera-exif-xmp-icc", "jpeg-progressive", "png-rgb", "heic-with-exif"])
def test_seeded_mutations_are_refused_or_taken_never_an_error_of_another_kind(name):
    """Bit flips, overwritten runs, cuts and splices of real photos: decode_image answers with
    ImageRejected or a picture, quickly, and both ways alike."""
    import random

    original = corpus_item(name)
    rng = random.Random(f"{SEED}-{name}")
    for _ in range(150):
        data = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(data))
            action = rng.choice(["flip", "overwrite", "cut", "splice"])
            if action == "flip":
                data[at] ^= 1 << rng.randrange(8)
            elif action == "overwrite":
                data[at:at + 8] = rng.randbytes(8)
            elif action == "cut":
                del data[at:at + rng.randint(1, 64)]
            else:
                other = rng.randrange(len(data))
                data[at:at] = data[other:other + rng.randint(1, 64)]
        started = time.perf_counter()
        outcomes = []
        for preview in (True, False):
            try:
                decoded = decode_image(bytes(data), **LIMITS, preview=preview)
                outcomes.append((decoded.width, decoded.height))
            except ImageRejected as rejection:
                outcomes.append((rejection.status_code, rejection.reason))
        assert outcomes[0] == outcomes[1], outcomes
        assert time.perf_counter() - started < 0.5
