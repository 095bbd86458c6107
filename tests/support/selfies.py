"""Test selfies: a real face photo from the fixtures with a sign pasted into it, the way a
phone would see a poster behind the person: smaller, turned, tilted, soft, mirrored."""

from __future__ import annotations

import io
from datetime import datetime

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from tests.support.faces import face_photo


def upright(relative: str) -> Image.Image:
    return ImageOps.exif_transpose(Image.open(io.BytesIO(face_photo(relative)))).convert("RGB")


def _perspective_coefficients(source, target):
    """Coefficients for Image.transform(PERSPECTIVE) mapping target corners to source corners."""
    rows = []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    return np.linalg.solve(np.array(rows, dtype=float), np.array(source, dtype=float).reshape(8))


def compose(face: str, sign: Image.Image | bytes, *, width_fraction: float = 0.3, rotate: float = 0,
            tilt: float = 0, blur: float = 0, mirror: bool = False, corner: str = "left") -> Image.Image:
    photo = upright(face)
    if isinstance(sign, bytes):
        sign = Image.open(io.BytesIO(sign))
    sign = sign.convert("RGB")
    width = int(photo.width * width_fraction)
    sign = sign.resize((width, int(sign.height * width / sign.width)), Image.Resampling.LANCZOS)
    if tilt:
        # The right edge further away: shorter, as a poster seen at an angle.
        w, h = sign.size
        shrink = tilt * h
        target = [(0, 0), (w, shrink), (w, h - shrink), (0, h)]
        coefficients = _perspective_coefficients([(0, 0), (w, 0), (w, h), (0, h)], target)
        sign = sign.transform(sign.size, Image.Transform.PERSPECTIVE, coefficients,
                              Image.Resampling.BICUBIC, fillcolor=(200, 200, 200))
    if rotate:
        sign = sign.rotate(rotate, expand=True, resample=Image.Resampling.BICUBIC, fillcolor=(200, 200, 200))
    x = 8 if corner == "left" else photo.width - sign.width - 8
    photo.paste(sign, (x, 8))
    if blur:
        photo = photo.filter(ImageFilter.GaussianBlur(blur))
    if mirror:  # a front camera's unflipped frame
        photo = ImageOps.mirror(photo)
    return photo


def jpeg(image: Image.Image, *, orientation: int | None = None, taken_at: datetime | None = None,
         quality: int = 90) -> bytes:
    exif = Image.Exif()
    if orientation == 6:  # stored turned 90 degrees counter-clockwise; viewers turn it back
        image = image.transpose(Image.Transpose.ROTATE_90)
        exif[0x0112] = 6
    if taken_at is not None:
        exif.get_ifd(0x8769)[0x9003] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
        exif.get_ifd(0x8769)[0x9011] = taken_at.strftime("%z")[:3] + ":" + taken_at.strftime("%z")[3:]
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def heic(image: Image.Image) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    clean = Image.new(image.mode, image.size)  # without the source photo's EXIF (its 2012 date)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, "HEIF", quality=90)
    return buffer.getvalue()
