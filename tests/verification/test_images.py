"""Safe decoding of photos, pure."""

import io

import pytest
from PIL import Image, ImageFile

from checkin.verification.images import ImageRejected, decode_image, sniff_format

LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_pixels": 50_000_000}


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def test_a_12_megapixel_jpeg_is_decoded_to_a_small_upright_preview():
    image = Image.new("RGB", (4000, 3000), (200, 100, 50))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to view
    decoded = decode_image(encode(image, "JPEG", exif=exif), **LIMITS)
    assert (decoded.format, decoded.width, decoded.height) == ("JPEG", 4000, 3000)
    assert max(decoded.preview.size) <= 1024
    assert decoded.preview.size[0] < decoded.preview.size[1]  # portrait after EXIF rotation
    assert decoded.preview.mode == "RGB"


def test_truncated_jpeg_is_refused_even_after_face_recognition_flipped_the_global_switch():
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # what importing face_recognition does
    data = encode(Image.effect_noise((800, 600), 50).convert("RGB"), "JPEG")
    with pytest.raises(ImageRejected) as caught:
        decode_image(data[: len(data) // 2], **LIMITS)
    assert caught.value.reason == "IMAGE_CORRUPT"


def test_format_comes_from_the_bytes_not_the_name():
    assert sniff_format(b"\xff\xd8\xff\xe0rest") == "JPEG"
    assert sniff_format(b"GIF89a....") is None
    assert sniff_format(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    with pytest.raises(ImageRejected) as caught:
        decode_image(encode(Image.new("RGB", (10, 10)), "GIF"), **LIMITS)
    assert caught.value.status_code == 415


def test_pixel_limit_is_checked_before_decoding():
    data = encode(Image.new("1", (8000, 8000)), "PNG")
    with pytest.raises(ImageRejected) as caught:
        decode_image(data, max_bytes=LIMITS["max_bytes"], max_pixels=10_000_000)
    assert (caught.value.reason, caught.value.status_code) == ("IMAGE_TOO_MANY_PIXELS", 413)


def test_byte_limit():
    with pytest.raises(ImageRejected) as caught:
        decode_image(b"\xff\xd8\xff" + b"\x00" * 2000, max_bytes=1000, max_pixels=100)
    assert caught.value.reason == "IMAGE_TOO_LARGE"


def test_validation_without_a_preview_still_refuses_a_truncated_jpeg():
    data = encode(Image.effect_noise((1600, 1200), 50).convert("RGB"), "JPEG")
    checked = decode_image(data, **LIMITS, preview=False)
    assert checked.preview is None and (checked.width, checked.height) == (1600, 1200)
    with pytest.raises(ImageRejected) as caught:
        decode_image(data[: len(data) * 2 // 3], **LIMITS, preview=False)
    assert caught.value.reason == "IMAGE_CORRUPT"
