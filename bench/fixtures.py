"""Shared by the benchmarks: the face fixtures and 12-megapixel phone-like composites."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE_FACES = ROOT.parent / "shared" / "fixtures" / "faces"
# FACES=/path: a folder per person (e.g. consented selfies of the customer's own staff).
FACES = Path(os.environ.get("FACES", FIXTURE_FACES))
PEOPLE = ["obama", "biden", "kit_harington", "rose_leslie", "alex_lacamoire", "lin_manuel_miranda"]


def person_photos() -> dict[str, list[Path]]:
    if not FACES.exists():
        sys.exit(f"face photos not found at {FACES}")
    people = PEOPLE if FACES == FIXTURE_FACES else sorted(path.name for path in FACES.iterdir() if path.is_dir())
    return {person: sorted(path for path in (FACES / person).iterdir() if path.is_file()) for person in people}


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
