"""What a selfie shows: faces, sign QR codes, its perceptual hashes. Pure, reusable by a worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .faces import Face, analyse_faces
from .images import DecodedImage, load_luminance
from .qr import QrCode, find_qr_codes
from .replay import SelfieHashes, selfie_hashes


@dataclass(frozen=True)
class PhotoEvidence:
    faces: list[Face]  # largest first; only the largest is encoded
    faces_examined: bool
    qr_codes: list[QrCode]  # boxes in the working copy's pixels
    hashes: SelfieHashes  # the photo's (poster masked) and the encoded face's, each also mirrored
    exif_taken_at: datetime | None

    @property
    def encoding(self):
        return self.faces[0].encoding if self.faces else None

    @property
    def phash(self) -> str:
        return self.hashes.photo

    @property
    def qr_texts(self) -> list[str]:
        return [code.text for code in self.qr_codes]


def examine_selfie(data: bytes, image: DecodedImage, *, look_for_faces: bool) -> PhotoEvidence:
    """The sign first: its poster is never taken for a face."""
    qr_codes = find_sign_codes(data, image)
    posters = [code.poster_box() for code in qr_codes]
    faces = analyse_faces(image.preview, not_in=posters) if look_for_faces else []
    return PhotoEvidence(
        faces=faces,
        faces_examined=look_for_faces,
        qr_codes=qr_codes,
        hashes=selfie_hashes(image.preview, posters, faces[0].eyes if faces else None),
        exif_taken_at=image.exif_taken_at,
    )


def find_sign_codes(data: bytes, image: DecodedImage) -> list[QrCode]:
    """Scan the small working copy first (a near sign reads there in a few ms); only when it
    shows nothing, scan the full resolution, where a far sign still has ~4 px per module.
    Boxes are in the working copy's pixels either way."""
    codes = find_qr_codes(image.preview)
    if not codes and max(image.width, image.height) > max(image.preview.size):
        full = load_luminance(data)
        codes = [code.scaled(image.preview.width / full.width) for code in find_qr_codes(full)]
    return codes
