"""Face detection, encoding and 1:1 comparison with face_recognition. Pure: no Flask, no SQLAlchemy.

Speed choices (PRODUCT.md): HOG detection on a ~480 px copy, one encoding with the 5-point
landmark model ("small": the 68-point model is licensed for non-commercial use only), no jitter.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from PIL import Image, ImageFile

from .replay import eye_centres

Area = tuple[int, int, int, int]  # left, top, right, bottom in image pixels
DETECTION_LONG_SIDE = 480
# A face narrower than this in the working copy (<= 1024 px) is too small to trust: the
# encoder's 150 px chip would be up-sampled from too little detail.
MIN_FACE_WIDTH_PX = 60
# The match bounds are each site's (geofences.policy: 0.45 where the photo decides alone, 0.6
# inside the fence with a good fix), measured by bench/accuracy.py.

# dlib's detector, landmark model and encoder are module-wide objects of face_recognition and are
# not thread-safe: two threads in them at once corrupt the heap (a gunicorn gthread worker or a
# threaded Celery worker dies with SIGABRT/SIGSEGV). One analysis at a time per process; the
# processes (about two per core) keep every core busy.
_DLIB = threading.Lock()


@lru_cache(maxsize=1)
def _face_recognition():
    """Import on first use: loading dlib's models takes about a second."""
    import face_recognition

    # The import switches truncated-image loading on for the whole process; switch it back
    # (decode_image also forces it off before every decode).
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return face_recognition


@dataclass(frozen=True)
class Face:
    box: tuple[int, int, int, int]  # top, right, bottom, left in the working copy's pixels
    encoding: np.ndarray | None  # 128 floats; None when the face is too small to encode
    # The eye centres of an encoded face (replay.eye_centres): its hash is aligned on them.
    eyes: tuple[tuple[float, float], tuple[float, float]] | None = None

    @property
    def width(self) -> int:
        return self.box[1] - self.box[3]


def detect_faces(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Face boxes (top, right, bottom, left) in `image` pixels, largest first.

    Detects on a small copy; if nothing is found, tries once more up-sampled (a face far from
    the camera), which costs about four times as much.
    """
    with _DLIB:
        return _detect_faces(_face_recognition(), image)


def _detect_faces(fr, image: Image.Image) -> list[tuple[int, int, int, int]]:
    scale = min(1.0, DETECTION_LONG_SIDE / max(image.size))
    small = image if scale == 1.0 else image.resize(
        (round(image.width * scale), round(image.height * scale)), Image.Resampling.BILINEAR)
    pixels = np.asarray(small)
    boxes = fr.face_locations(pixels, number_of_times_to_upsample=0, model="hog")
    if not boxes:
        boxes = fr.face_locations(pixels, number_of_times_to_upsample=1, model="hog")
    scaled = [tuple(round(v / scale) for v in box) for box in boxes]
    return sorted(scaled, key=lambda b: (b[1] - b[3]) * (b[2] - b[0]), reverse=True)


def analyse_faces(image: Image.Image, encode_at_most: int = 1, not_in: Sequence[Area] = ()) -> list[Face]:
    """Detect every face; encode the largest `encode_at_most` that are big enough. A "face"
    centred in one of the `not_in` areas (left, top, right, bottom: the sign's poster, whose QR
    the detector can take for a face) is dropped before the largest is chosen."""
    pixels = np.asarray(image)
    faces = []
    with _DLIB:
        fr = _face_recognition()
        boxes = [box for box in _detect_faces(fr, image) if not _centred_in(box, not_in)]
        for rank, box in enumerate(boxes):
            encoding = eyes = None
            if rank < encode_at_most and box[1] - box[3] >= MIN_FACE_WIDTH_PX:
                encoding = fr.face_encodings(pixels, known_face_locations=[box], num_jitters=1, model="small")[0]
                marks = fr.face_landmarks(pixels, face_locations=[box], model="small")[0]
                eyes = eye_centres(marks["right_eye"] + marks["left_eye"])
            faces.append(Face(box, encoding, eyes))
    return faces


def _centred_in(box: tuple[int, int, int, int], areas: Sequence[Area]) -> bool:
    top, right, bottom, left = box
    x, y = (left + right) / 2, (top + bottom) / 2
    return any(a_left <= x <= a_right and a_top <= y <= a_bottom for a_left, a_top, a_right, a_bottom in areas)


def nearest(encoding: np.ndarray, references: list[np.ndarray]) -> tuple[int, float]:
    """Which of the employee's own reference encodings is nearest, and its Euclidean distance
    (1:1 against one person's faces, never 1:N)."""
    distances = np.linalg.norm(np.stack(references) - encoding, axis=1)
    index = int(np.argmin(distances))
    return index, float(distances[index])


def face_distance(encoding: np.ndarray, enrolled: list[np.ndarray]) -> float:
    """Smallest Euclidean distance to the employee's own enrolled encodings (1:1, never 1:N)."""
    return nearest(encoding, enrolled)[1]


def encoding_to_bytes(encoding: np.ndarray) -> bytes:
    return np.asarray(encoding, dtype="<f4").tobytes()


def encoding_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4").astype(np.float64)


def thumbnail(image: Image.Image, box: tuple[int, int, int, int], size: int = 160) -> Image.Image:
    """A square crop around the face with some margin, for reviewers to compare."""
    top, right, bottom, left = box
    margin = (bottom - top) // 3
    side = max(right - left, bottom - top) + 2 * margin
    centre_x, centre_y = (left + right) // 2, (top + bottom) // 2
    crop = image.crop((centre_x - side // 2, centre_y - side // 2, centre_x + side // 2, centre_y + side // 2))
    return crop.resize((size, size), Image.Resampling.LANCZOS)
