"""Erasing a person's face data (PDPA: on request, or when employment ends): the enrolled faces
and the face encodings kept from their check-in selfies. Attendance facts stay. Services flush;
the caller commits."""

from __future__ import annotations

from sqlalchemy import delete, update

from ..audit import service as audit
from ..biometrics.models import FaceEnrollment
from ..biometrics.service import THUMBNAIL_EXTENSION, list_enrollments
from ..checkins.models import CheckIn
from ..database import db
from ..org.models import Employee
from .stored_files import delete_unreferenced


def erase_faces(employee: Employee, erased_by_id: int | None) -> int:
    """Erase every face encoding of the employee: enrollments, their thumbnails, and the
    encodings kept from check-in selfies. Attendance facts stay. Returns enrollments erased."""
    enrollments = list_enrollments(employee)
    db.session.execute(delete(FaceEnrollment).where(FaceEnrollment.employee_id == employee.id))
    db.session.execute(update(CheckIn).where(CheckIn.employee_id == employee.id)
                       .values(selfie_face_encoding=None, selfie_face_phash=None))
    audit.record("face.erased", "employee", employee.id, actor_id=erased_by_id,
                 before={"face_ids": [enrollment.id for enrollment in enrollments]}, after={"face_ids": []})
    db.session.flush()
    delete_unreferenced({(enrollment.thumbnail_sha256, THUMBNAIL_EXTENSION) for enrollment in enrollments})
    return len(enrollments)
