"""The photo step (PRODUCT.md steps 2-3): the face, the sign and the always-flag signals of one
check-in, evaluated the same way by the request and by the worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from geofences.signs import resolve_sightings

from ..biometrics.service import enrolled_encodings
from ..org.models import Employee
from ..verification.evidence import PhotoEvidence, examine_selfie
from ..verification.images import DecodedImage
from ..verification.signals import clock_skewed
from . import history
from . import reasons as R
from .gps_step import GpsDecision, GpsFix
from .rules import Decision, FaceCheck, SignCheck, decide_checkin


@dataclass(frozen=True)
class Claim:
    """What the phone sent, as received."""

    employee: Employee
    fix: GpsFix | None
    captured_at: datetime
    received_at: datetime
    selfie: bytes
    image: DecodedImage
    sha256: str
    checkin_id: int | None = None  # set when a stored check-in is evaluated again


def evaluate(claim: Claim, gps: GpsDecision, candidates: list, examine_photo: bool
             ) -> tuple[Decision, PhotoEvidence | None]:
    """The decision. With `examine_photo` False (GPS accepted, a worker will evaluate again)
    the face, the sign and the signals that read earlier check-ins wait for that worker."""
    evidence = None
    face, sign = FaceCheck(enrolled=False, examined=False), SignCheck([])
    if examine_photo:
        enrolled = enrolled_encodings(claim.employee.id)
        evidence = examine_selfie(claim.selfie, claim.image, look_for_faces=bool(enrolled))
        face = FaceCheck.of(enrolled, len(evidence.faces), evidence.encoding)
        sign = SignCheck(resolve_sightings(evidence.qr_texts, {site.id for site in candidates}, claim.received_at))
    return decide_checkin(gps, face, sign, signals(claim, evidence, with_history=examine_photo)), evidence


def signals(claim: Claim, evidence: PhotoEvidence | None, with_history: bool) -> list[str]:
    """The always-flag signals of PRODUCT.md step 3 (mock location is part of the GPS step).
    Without `with_history` only the clock is checked: no query of earlier check-ins."""
    found = []
    if with_history and history.photo_used_before(claim, evidence):
        found.append(R.DUPLICATE_PHOTO)
    if clock_skewed(claim.received_at, claim.captured_at, evidence.exif_taken_at if evidence else None):
        found.append(R.CLOCK_SKEW)
    if with_history and history.travelled_impossibly(claim):
        found.append(R.IMPOSSIBLE_TRAVEL)
    return found
