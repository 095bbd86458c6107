"""One evaluation of a check-in's photo and signals, used by the request and by the worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from geofences.signs import resolve_sightings

from . import reasons as R
from .biometrics.service import enrolled_encodings
from .database import db
from .decision import Decision, FaceCheck, SignCheck, decide_checkin
from .gps_decision import GpsDecision, GpsFix
from .models import CheckIn
from .org.models import Employee
from .verification.evidence import PhotoEvidence, examine_selfie
from .verification.faces import encoding_from_bytes
from .verification.images import DecodedImage
from .verification.replay import RECENT_SELFIES, is_near_duplicate
from .verification.signals import Position, clock_skewed, impossible_travel


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
    if with_history and _photo_used_before(claim, evidence):
        found.append(R.DUPLICATE_PHOTO)
    if clock_skewed(claim.received_at, claim.captured_at, evidence.exif_taken_at if evidence else None):
        found.append(R.CLOCK_SKEW)
    if with_history and _travelled_impossibly(claim):
        found.append(R.IMPOSSIBLE_TRAVEL)
    return found


def _earlier(claim: Claim):
    """Other check-ins; a stored check-in evaluated again (by a worker) only those before it."""
    return CheckIn.id < claim.checkin_id if claim.checkin_id else CheckIn.id.is_not(None)


def _photo_used_before(claim: Claim, evidence: PhotoEvidence | None) -> bool:
    used_before = db.session.scalar(
        select(CheckIn.id).where(CheckIn.selfie_sha256 == claim.sha256, _earlier(claim)).limit(1))
    if used_before is not None:
        return True
    if evidence is None:
        return False
    recent = db.session.execute(
        select(CheckIn.selfie_phash, CheckIn.selfie_face_encoding)
        .where(CheckIn.employee_id == claim.employee.id, _earlier(claim))
        .order_by(CheckIn.received_at.desc()).limit(RECENT_SELFIES)).all()
    earlier = [(phash, None if blob is None else encoding_from_bytes(blob)) for phash, blob in recent]
    return is_near_duplicate(evidence.phash, evidence.encoding, earlier)


def _travelled_impossibly(claim: Claim) -> bool:
    if claim.fix is None or claim.fix.is_no_fix:
        return False
    previous = db.session.execute(
        select(CheckIn.latitude, CheckIn.longitude, CheckIn.accuracy_m, CheckIn.accuracy_confidence,
               CheckIn.received_at)
        .where(CheckIn.employee_id == claim.employee.id, _earlier(claim), CheckIn.latitude.is_not(None),
               (CheckIn.latitude != 0) | (CheckIn.longitude != 0), CheckIn.received_at <= claim.received_at)
        .order_by(CheckIn.received_at.desc()).limit(1)).first()
    if previous is None:
        return False
    before = GpsFix(previous.latitude, previous.longitude, previous.accuracy_m, previous.accuracy_confidence)
    return impossible_travel(Position(before.latitude, before.longitude, before.radius_95_m, previous.received_at),
                             Position(claim.fix.latitude, claim.fix.longitude, claim.fix.radius_95_m,
                                      claim.received_at))
