"""Replay detection: a photo used before, or one of the employee's enrolled photos, sent as
it was or as a near copy (re-encoded, resized, cropped, turned, mirrored, grey, a screenshot).
Pure.

Two 64-bit perceptual hashes per selfie; the new selfie is also hashed mirrored, so one stored
hash of each kind catches a mirrored copy:
- the face's, of a grey chip aligned on the eyes: crops, turns and screenshots keep it (not
  the photo's hash), so do mirrors and grey copies (not the face encoding);
- the photo's, with the sign's poster masked, for a selfie without a face hash (no face
  examined or found). When both selfies have a face hash the face decides: every selfie at a
  sign shows the same wall and poster, which keep different days' photos close.
The face encoding (<= 0.12) still counts, for selfies stored before the face hash.

MEASURED by bench/replay.py: 15 fixture photos (6 people) and the same 15 people composed on
one wall with one poster, face 26 % or 15 % of the width; 11 kinds of copy of each.
- Face hash: every copy, the enrolled thumbnail (mirrored too) 0-8 from its original;
  different photos of one person 16-26 (the same scene too). Limit 10: all caught, none flagged.
- Photo hash, poster masked: re-encoded, resized, mirrored and grey copies 0-2; two photos at
  one sign from 6 (face 15 %; unmasked from 4): 4 of 105 within 8, none within the limit 4.
- Face encoding: re-encoded or resized copies and thumbnails 0.03-0.13, screenshots to 0.18,
  grey to 0.21, mirrored to 0.25, crop+mirror+grey to 0.28; different photos from 0.32.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import imagehash
import numpy as np
from PIL import Image, ImageOps, ImageStat

Box = tuple[int, int, int, int]  # left, top, right, bottom (qr.QrCode.poster_box)
Point = tuple[float, float]
Eyes = tuple[Point, Point]

# Hamming distances of two pHashes are even: each has as many bits set (above the median).
FACE_PHASH_MAX_DISTANCE = 10
PHASH_MAX_DISTANCE = 4  # the photo's, poster masked; only where a face hash is missing
FACE_REUSE_MAX_DISTANCE = 0.12  # the face encoding
# How many of the employee's latest selfies are compared (about a year of working days).
RECENT_SELFIES = 500

_HASH_INPUT = 32  # pHash keeps the 8 x 8 lowest frequencies of a 32 x 32 grey copy
# The face chip: the eyes level at 35 % of its height, a third of its width apart: forehead
# to chin, little background. Other shapes measured no better.
_CHIP_SIDE = 128
_CHIP_EYE_SPAN = 1 / 3
_CHIP_EYE_HEIGHT = 0.35


@dataclass(frozen=True)
class SelfieHashes:
    photo: str  # poster masked; stored (CheckIn.selfie_phash)
    photo_mirrored: str  # compared, never stored
    face: str | None = None  # None without the face's eyes; stored (CheckIn.selfie_face_phash)
    face_mirrored: str | None = None


class Earlier(NamedTuple):
    """One earlier check-in of the employee, as stored."""

    phash: str | None
    encoding: np.ndarray | None
    face_phash: str | None = None


class Enrolled(NamedTuple):
    """One enrolled face as stored: its encoding and the hash of its face (face_hash)."""

    encoding: np.ndarray | None
    face_phash: str | None = None


def selfie_hashes(image: Image.Image, masked: Sequence[Box] = (), eyes: Eyes | None = None) -> SelfieHashes:
    """`masked`: the sign posters' boxes; `eyes`: the eye centres of the face that was encoded
    (eye_centres); both in `image` pixels (the working copy)."""
    grey = image.convert("L")
    face = None if eyes is None else _face_chip(grey, eyes)
    small = _small(grey, masked)
    return SelfieHashes(
        photo=_phash(small), photo_mirrored=_phash(ImageOps.mirror(small)),
        face=None if face is None else _phash(face),
        face_mirrored=None if face is None else _phash(ImageOps.mirror(face)))


def perceptual_hash(image: Image.Image, masked: Sequence[Box] = ()) -> str:
    return _phash(_small(image.convert("L"), masked))


def face_hash(image: Image.Image, eyes: Eyes) -> str:
    """The hash of a face, as stored for an enrolled photo (Enrolled.face_phash)."""
    return _phash(_face_chip(image.convert("L"), eyes))


def eye_centres(landmarks: Sequence[Point]) -> Eyes:
    """The eye centres from dlib's 5-point landmarks: two corners of one eye, two of the other
    (then the nose, unused)."""
    (a, b), (c, d) = landmarks[0:2], landmarks[2:4]
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), ((c[0] + d[0]) / 2, (c[1] + d[1]) / 2)


def hamming(hash_a: str, hash_b: str) -> int:
    return (int(hash_a, 16) ^ int(hash_b, 16)).bit_count()


def is_near_duplicate(selfie: SelfieHashes | str, encoding: np.ndarray | None,
                      earlier: Iterable[Earlier | tuple]) -> bool:
    """True when an earlier check-in, (phash, encoding[, face_phash]), is a near copy of this
    selfie. A bare hash string stands for a selfie hashed the old way (no mirror, no face)."""
    if isinstance(selfie, str):
        selfie = SelfieHashes(selfie, selfie)
    rows = [Earlier(*row) for row in earlier]
    photo, face = _ints(selfie.photo, selfie.photo_mirrored), _ints(selfie.face, selfie.face_mirrored)
    for row in rows:
        if face and row.face_phash is not None:
            if _within(row.face_phash, face, FACE_PHASH_MAX_DISTANCE):
                return True
        elif row.phash is not None and _within(row.phash, photo, PHASH_MAX_DISTANCE):
            return True
    return _same_face(encoding, [row.encoding for row in rows])


def reuses_enrolled_photo(selfie: SelfieHashes, encoding: np.ndarray | None,
                          enrolled: Iterable[Enrolled | tuple]) -> bool:
    """True when the selfie is one of the employee's enrolled photos (the thumbnail may be
    downloaded) or a near copy of one; a new photo of the same face is not."""
    faces = [Enrolled(*row) for row in enrolled]
    face = _ints(selfie.face, selfie.face_mirrored)
    return any(row.face_phash is not None and _within(row.face_phash, face, FACE_PHASH_MAX_DISTANCE)
               for row in faces) or _same_face(encoding, [row.encoding for row in faces])


def _ints(*hashes: str | None) -> tuple[int, ...]:
    return tuple(int(value, 16) for value in hashes if value is not None)


def _within(stored: str, new: tuple[int, ...], limit: int) -> bool:
    value = int(stored, 16)
    return any((value ^ other).bit_count() <= limit for other in new)


def _same_face(encoding: np.ndarray | None, others: list[np.ndarray | None]) -> bool:
    known = [other for other in others if other is not None]
    if encoding is None or not known:
        return False
    return bool(np.min(np.linalg.norm(np.stack(known) - encoding, axis=1)) <= FACE_REUSE_MAX_DISTANCE)


def _small(grey: Image.Image, masked: Sequence[Box]) -> Image.Image:
    """The 32 x 32 copy pHash reads, each masked box filled with the photo's mean grey: a flat
    patch adds nothing to any frequency but the lowest."""
    if masked:
        grey, fill = grey.copy(), round(ImageStat.Stat(grey.reduce(4)).mean[0])
        for box in masked:
            grey.paste(fill, box)  # Pillow clips a box reaching past the edges
    # reducing_gap: a box-filtered reduction first, 5x faster than Lanczos from 1024 px and
    # within 2 bits of it.
    return grey.resize((_HASH_INPUT, _HASH_INPUT), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _face_chip(grey: Image.Image, eyes: Eyes) -> Image.Image:
    """A square around the face, turned and scaled so that the eyes land on two fixed points
    symmetric about its middle: a cropped, resized or turned copy gives the same chip, and a
    mirrored copy its mirror image."""
    # + 0.5: landmarks count pixels (a pixel's centre), Pillow's transform measures from the
    # image's edge (pixel x spans x..x + 1); without it a mirror would shift the chip a pixel.
    (left_x, left_y), (right_x, right_y) = ((x + 0.5, y + 0.5) for x, y in sorted(eyes))
    span = math.hypot(right_x - left_x, right_y - left_y) or 1.0
    scale = span / (_CHIP_SIDE * _CHIP_EYE_SPAN)  # image pixels per chip pixel
    cos, sin = (right_x - left_x) / span * scale, (right_y - left_y) / span * scale
    # Chip (x, y) -> image: turned and scaled about the left eye's place in the chip.
    origin_x, origin_y = _CHIP_SIDE * (1 - _CHIP_EYE_SPAN) / 2, _CHIP_SIDE * _CHIP_EYE_HEIGHT
    coefficients = (cos, -sin, left_x - cos * origin_x + sin * origin_y,
                    sin, cos, left_y - sin * origin_x - cos * origin_y)
    return grey.transform((_CHIP_SIDE, _CHIP_SIDE), Image.Transform.AFFINE, coefficients,
                          resample=Image.Resampling.BILINEAR)


def _phash(grey: Image.Image) -> str:
    return str(imagehash.phash(grey))
