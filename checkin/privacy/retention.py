"""PDPA retention: a selfie is kept SELFIE_RETENTION_DAYS, face data until employment ends.

What goes is the picture and its biometric traces (face encoding, perceptual hash); the
attendance facts stay (time, place, decision, reasons, review, the file's sha256), and each
purge is on the audit trail. Run by `flask --app wsgi purge-biometrics` (cron) or the Celery
beat schedule. Services flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from ..audit import service as audit
from ..biometrics.models import FaceEnrollment
from ..checkins.models import CheckIn
from ..database import db
from ..org.models import Employee
from ..timezones import BANGKOK
from .erasure import erase_faces
from .stored_files import delete_unreferenced

BATCH = 500


@dataclass(frozen=True)
class RetentionResult:
    selfies_purged: int
    files_deleted: int
    employees_erased: int


def purge_expired(now: datetime, selfie_days: int) -> RetentionResult:
    purged, deleted = _purge_selfies(now - timedelta(days=selfie_days), now, selfie_days)
    return RetentionResult(purged, deleted, _erase_former_employees(now.astimezone(BANGKOK).date()))


def _purge_selfies(cutoff: datetime, now: datetime, selfie_days: int) -> tuple[int, int]:
    purged = deleted = 0
    while True:
        rows = db.session.execute(
            select(CheckIn.id, CheckIn.selfie_sha256, CheckIn.selfie_extension)
            .where(CheckIn.received_at < cutoff, CheckIn.selfie_sha256.is_not(None), CheckIn.selfie_purged_at.is_(None))
            .order_by(CheckIn.id).limit(BATCH)).all()
        if not rows:
            return purged, deleted
        db.session.execute(update(CheckIn).where(CheckIn.id.in_([row.id for row in rows])).values(
            selfie_face_encoding=None, selfie_phash=None, selfie_face_phash=None, selfie_purged_at=now))
        for row in rows:
            audit.record("selfie.purged", "checkin", row.id, actor_id=None,
                         after={"selfie_sha256": row.selfie_sha256, "retention_days": selfie_days})
        db.session.flush()
        deleted += delete_unreferenced({(row.selfie_sha256, row.selfie_extension) for row in rows})
        purged += len(rows)


def _erase_former_employees(today: date) -> int:
    """Employees whose employment ended (record inactive, or past its last day of service) lose
    every face encoding."""
    former = Employee.active.is_(False) | (Employee.employment_ended_on < today)
    holding = select(Employee).where(former, (
        select(FaceEnrollment.id).where(FaceEnrollment.employee_id == Employee.id).exists()
        | select(CheckIn.id).where(CheckIn.employee_id == Employee.id,
                                   CheckIn.selfie_face_encoding.is_not(None)).exists()))
    employees = list(db.session.scalars(holding))
    for employee in employees:
        erase_faces(employee, erased_by_id=None)
    return len(employees)
