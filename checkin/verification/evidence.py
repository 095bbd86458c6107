"""What a selfie shows: faces, sign QR texts, a perceptual hash. Pure, reusable by a worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .faces import Face, analyse_faces
from .images import DecodedImage, load_luminance
from .replay import perceptual_hash
from .qr import find_qr_texts


@dataclass(frozen=True)
class PhotoEvidence:
    faces: list[Face]  # largest first; only the largest is encoded
    faces_examined: bool
    qr_texts: list[str]
    phash: str
    exif_taken_at: datetime | None

    @property
    def encoding(self):
        return self.faces[0].encoding if self.faces else None


def examine_selfie(data: bytes, image: DecodedImage, *, look_for_faces: bool) -> PhotoEvidence:
    faces = analyse_faces(image.preview) if look_for_faces else []
    return PhotoEvidence(
        faces=faces,
        faces_examined=look_for_faces,
        qr_texts=find_sign_texts(data, image),
        phash=perceptual_hash(image.preview),
        exif_taken_at=image.exif_taken_at,
    )


def find_sign_texts(data: bytes, image: DecodedImage) -> list[str]:
    """Scan the small working copy first (a near sign reads there in a few ms); only when it
    shows nothing, scan the full resolution, where a far sign still has ~4 px per module."""
    texts = find_qr_texts(image.preview)
    if not texts and max(image.width, image.height) > max(image.preview.size):
        texts = find_qr_texts(load_luminance(data))
    return texts
