"""The faces a selfie is compared with: the employee's enrolled faces, and their recent verified
selfies, so that a face that changed since enrolment (glasses, hair, age, the light at their
site) still matches. Biometric data: the selfie encodings are erased with the enrolled faces
(privacy.erasure), and none is used once the enrolled faces are gone."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

from geofences.policy import DEFAULT_FACE_TOLERANCE_PHOTO

from ..biometrics.models import FaceEnrollment
from ..database import db
from ..verification.faces import encoding_from_bytes
from .models import CheckIn
from .rules import ENROLLED, SELFIE, FaceReference
from .statuses import ACCEPTED

RECENT_SELFIES = 10
SELFIE_MAX_AGE = timedelta(days=180)


def face_references(employee_id: int, now: datetime, before_checkin_id: int | None = None) -> list[FaceReference]:
    """Enrolled faces first, then up to RECENT_SELFIES verified selfies of the last 180 days:
    accepted with a strict face match, or approved by a supervisor; never a flagged, pending or
    rejected one. A stored check-in evaluated again (by a worker) uses only those before it."""
    enrolled = [FaceReference(ENROLLED, face_id, encoding_from_bytes(blob), face_phash)
                for face_id, blob, face_phash in db.session.execute(
                    select(FaceEnrollment.id, FaceEnrollment.encoding, FaceEnrollment.face_phash)
                    .where(FaceEnrollment.employee_id == employee_id).order_by(FaceEnrollment.id))]
    if not enrolled:  # no consent on record (or erased): no face is compared at all
        return []
    verified = or_(and_(CheckIn.review_decision.is_(None), CheckIn.face_distance <= DEFAULT_FACE_TOLERANCE_PHOTO),
                   CheckIn.review_decision == "approve")
    query = (select(CheckIn.id, CheckIn.selfie_face_encoding)
             .where(CheckIn.employee_id == employee_id, CheckIn.status == ACCEPTED, verified,
                    CheckIn.face_count == 1, CheckIn.selfie_face_encoding.is_not(None),
                    CheckIn.received_at >= now - SELFIE_MAX_AGE, CheckIn.received_at <= now)
             .order_by(CheckIn.received_at.desc(), CheckIn.id.desc()).limit(RECENT_SELFIES))
    if before_checkin_id is not None:
        query = query.where(CheckIn.id < before_checkin_id)
    selfies = [FaceReference(SELFIE, checkin_id, encoding_from_bytes(blob))
               for checkin_id, blob in db.session.execute(query)]
    return enrolled + selfies
