"""Generated photos: textured JPEGs that never look like a re-used photo."""

from __future__ import annotations

import io
import random

from PIL import Image


def jpeg_bytes(width: int = 320, height: int = 240, seed: int | None = None) -> bytes:
    """A textured photo; a different one on every call unless a seed is given, so that
    separate check-ins never look like a re-used photo."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (width // 8, height // 8), rng.randbytes(width * height * 3 // 64))
    buffer = io.BytesIO()
    image.resize((width, height), Image.Resampling.BICUBIC).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
