"""Synthetic inputs for the replay rules' tests (checkin.verification.replay): pictures, their
re-encoded copies, hashes some bits away, and face encodings some distance away."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def picture(seed: int, size=(320, 240)) -> Image.Image:
    """A smooth, non-flat picture, different for each seed."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)).resize(size, Image.Resampling.BICUBIC)


def reencoded(image: Image.Image, quality: int = 50) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def flip_bits(hex_hash: str, bits: int) -> str:
    """The hash with its lowest `bits` bits flipped: Hamming distance `bits` from it."""
    return f"{int(hex_hash, 16) ^ ((1 << bits) - 1):0{len(hex_hash)}x}"


def encoding(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 0.1, 128)


def shifted(base: np.ndarray, distance: float) -> np.ndarray:
    """An encoding exactly `distance` away from `base` (Euclidean)."""
    direction = np.zeros(128)
    direction[3] = 1.0
    return base + distance * direction
