"""The signals that read a check-in's history: an earlier use of the photo (or of an enrolled
photo), and the travel since the previous fix. The rules themselves are pure
(verification.replay, verification.signals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from ..database import db
from ..verification.evidence import PhotoEvidence
from ..verification.faces import encoding_from_bytes
from ..verification.replay import RECENT_SELFIES, Earlier, Enrolled, is_near_duplicate
from ..verification.replay import reuses_enrolled_photo as _reuses_enrolled_photo
from ..verification.signals import Position, impossible_travel
from .gps_step import GpsFix
from .models import CheckIn
from .rules import FaceReference

if TYPE_CHECKING:
    from .photo_step import Claim


def _earlier(claim: Claim):
    """Other check-ins; a stored check-in evaluated again (by a worker) only those before it."""
    return CheckIn.id < claim.checkin_id if claim.checkin_id else CheckIn.id.is_not(None)


def photo_used_before(claim: Claim, evidence: PhotoEvidence | None) -> bool:
    """The same bytes in any earlier check-in, or a near copy of one of the employee's recent selfies."""
    used_before = db.session.scalar(
        select(CheckIn.id).where(CheckIn.selfie_sha256 == claim.sha256, _earlier(claim)).limit(1))
    if used_before is not None:
        return True
    if evidence is None:
        return False
    recent = db.session.execute(
        select(CheckIn.selfie_phash, CheckIn.selfie_face_encoding, CheckIn.selfie_face_phash)
        .where(CheckIn.employee_id == claim.employee.id, _earlier(claim))
        .order_by(CheckIn.received_at.desc()).limit(RECENT_SELFIES)).all()
    earlier = [Earlier(phash, None if blob is None else encoding_from_bytes(blob), face_phash)
               for phash, blob, face_phash in recent]
    return is_near_duplicate(evidence.hashes, evidence.encoding, earlier)


def reuses_enrolled_photo(evidence: PhotoEvidence, enrolled: list[FaceReference]) -> bool:
    """The selfie is an enrolled photo (or the thumbnail an employee may download), or a copy."""
    return _reuses_enrolled_photo(evidence.hashes, evidence.encoding,
                                  [Enrolled(reference.encoding, reference.face_phash) for reference in enrolled])


def travelled_impossibly(claim: Claim) -> bool:
    """Too far from the employee's previous fix for the time between them (both radii discounted)."""
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
