"""Confirms the replay thresholds: a re-used photo (re-encoded, resized, cropped, slightly
turned) against different photos of the same person, by pHash Hamming distance and by
face-encoding distance.

    .venv/bin/python bench/replay.py
"""

from __future__ import annotations

import io
import itertools

import numpy as np
from fixtures import person_photos, upright
from PIL import Image

from checkin.verification.faces import analyse_faces
from checkin.verification.replay import FACE_REUSE_MAX_DISTANCE, PHASH_MAX_DISTANCE, hamming, perceptual_hash


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


COPIES = {
    "re-encoded q60": lambda im: jpeg(im, 60),
    "resized 60 %": lambda im: im.resize((im.width * 3 // 5, im.height * 3 // 5)),
    "cropped 92 %": lambda im: im.crop((im.width // 25, im.height // 25, im.width * 24 // 25, im.height * 24 // 25)),
    "turned 3 deg": lambda im: im.rotate(3, resample=Image.Resampling.BICUBIC),
    "screenshot-like": lambda im: jpeg(im.resize((im.width // 2, im.height // 2)).resize(im.size), 75),
}


def working_copy(image: Image.Image) -> Image.Image:
    image = image.copy()
    image.thumbnail((1024, 1024))
    return image


def main() -> None:
    copy_hash, copy_face, other_hash, other_face = {}, {}, [], []
    for person, paths in person_photos().items():
        originals = []
        for path in paths:
            # Partial faces, and the fixtures' re-sized copies of obama_1 (not different photos).
            if any(word in path.name for word in ("partial", "1080p", "480p", "240p", "small")):
                continue
            image = working_copy(upright(path))
            faces = analyse_faces(image)
            if len(faces) != 1 or faces[0].encoding is None:
                continue
            originals.append((perceptual_hash(image), faces[0].encoding))
            for name, make_copy in COPIES.items():
                copy = working_copy(make_copy(image))
                copy_hash.setdefault(name, []).append(hamming(perceptual_hash(copy), originals[-1][0]))
                copy_faces = analyse_faces(copy)
                if copy_faces and copy_faces[0].encoding is not None:
                    copy_face.setdefault(name, []).append(float(np.linalg.norm(copy_faces[0].encoding - originals[-1][1])))
        for (hash_a, face_a), (hash_b, face_b) in itertools.combinations(originals, 2):
            other_hash.append(hamming(hash_a, hash_b))
            other_face.append(float(np.linalg.norm(face_a - face_b)))

    print(f"thresholds: pHash Hamming <= {PHASH_MAX_DISTANCE}, face distance <= {FACE_REUSE_MAX_DISTANCE}")
    for name in COPIES:
        hashes, faces = copy_hash[name], copy_face[name]
        caught = sum(h <= PHASH_MAX_DISTANCE or f <= FACE_REUSE_MAX_DISTANCE for h, f in zip(hashes, faces))
        print(f"re-used photo, {name:16s}: pHash max {max(hashes):2d}   face max {max(faces):.3f}"
              f"   caught by either: {caught}/{len(hashes)}")
    false_alarms = sum(h <= PHASH_MAX_DISTANCE or f <= FACE_REUSE_MAX_DISTANCE for h, f in zip(other_hash, other_face))
    print(f"different photos, same person: pHash min {min(other_hash):2d}   face min {min(other_face):.3f}"
          f"   wrongly called a re-use: {false_alarms}/{len(other_hash)}")


if __name__ == "__main__":
    main()
