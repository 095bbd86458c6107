"""Replay detection: the same photo, or a near copy of it, used for another check-in. Pure.

Thresholds confirmed on the fixtures by bench/replay.py: re-encoded/resized copies of one
photo stay within a pHash Hamming distance of 8 and a face distance of 0.12; different photos
of the same person are far above both.
"""

from __future__ import annotations

import imagehash
import numpy as np
from PIL import Image

PHASH_MAX_DISTANCE = 8
FACE_REUSE_MAX_DISTANCE = 0.12
# How many of the employee's latest selfies are compared (about a year of working days).
RECENT_SELFIES = 500


def perceptual_hash(image: Image.Image) -> str:
    return str(imagehash.phash(image))


def hamming(hash_a: str, hash_b: str) -> int:
    return (int(hash_a, 16) ^ int(hash_b, 16)).bit_count()


def is_near_duplicate(phash: str, encoding: np.ndarray | None,
                      earlier: list[tuple[str | None, np.ndarray | None]]) -> bool:
    """True when any earlier (phash, face encoding) is a near copy of this selfie."""
    for earlier_hash, earlier_encoding in earlier:
        if earlier_hash is not None and hamming(phash, earlier_hash) <= PHASH_MAX_DISTANCE:
            return True
        if encoding is not None and earlier_encoding is not None and \
                float(np.linalg.norm(encoding - earlier_encoding)) <= FACE_REUSE_MAX_DISTANCE:
            return True
    return False
