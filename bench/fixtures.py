"""Shared by the benchmarks: the face fixtures and 12-megapixel phone-like composites."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FACES = ROOT.parent / "shared" / "fixtures" / "faces"
PEOPLE = ["obama", "biden", "kit_harington", "rose_leslie", "alex_lacamoire", "lin_manuel_miranda"]


def person_photos() -> dict[str, list[Path]]:
    if not FACES.exists():
        sys.exit(f"face fixtures not found at {FACES}")
    return {person: sorted((FACES / person).iterdir()) for person in PEOPLE}


def upright(path: Path) -> Image.Image:
    return ImageOps.exif_transpose(Image.open(path)).convert("RGB")


def phone_jpeg(photo: Image.Image, sign: Image.Image | None, sign_fraction: float, size=(3000, 4000)) -> bytes:
    """A 12 MP portrait JPEG: the photo scaled to fill the frame, the sign pasted top-left."""
    frame = ImageOps.fit(photo, size, Image.Resampling.BICUBIC)
    # Sensor noise: an up-scaled fixture is too smooth; real 12 MP JPEGs are 3-5 MB.
    noise = Image.effect_noise(size, 40).convert("RGB")
    frame = Image.blend(frame, noise, 0.07)
    if sign is not None:
        width = int(size[0] * sign_fraction)
        sign = sign.convert("RGB").resize((width, int(sign.height * width / sign.width)), Image.Resampling.LANCZOS)
        frame.paste(sign.rotate(8, expand=True, fillcolor=(210, 210, 210)), (40, 40))
    buffer = io.BytesIO()
    frame.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
