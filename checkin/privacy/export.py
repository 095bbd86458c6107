"""An employee's copy of their own data (PDPA right of access): one ZIP file.

data.json holds the employee record, the account, every check-in with its decision, leave,
face enrollments (when and with whose consent, never the encodings) and the audit trail of
their check-ins; selfies/ holds the selfie files still kept, faces/ the thumbnails of the
enrolled faces. Services flush; routes commit.
"""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select

from ..accounts.models import User
from ..accounts.schemas import UserSchema
from ..audit import service as audit
from ..audit.models import AuditRecord
from ..biometrics.models import FaceEnrollment
from ..biometrics.service import THUMBNAIL_EXTENSION
from ..biometrics.schemas import EnrollmentSchema
from ..checkins.models import CheckIn
from ..checkins.schemas import CheckinSchema
from ..checkins.service import employee_record_of
from ..database import db, utcnow
from ..org.schemas import EmployeeSchema
from ..storage import current_storage
from ..timekeeping.models import Leave
from ..timekeeping.schemas import LeaveSchema


def export_own_data(user: User) -> bytes:
    employee = employee_record_of(user)  # PDPA: a former employee's data is still theirs to have
    checkins = list(db.session.scalars(select(CheckIn).where(CheckIn.employee_id == employee.id).order_by(CheckIn.id)))
    checkin_ids = [checkin.id for checkin in checkins]
    faces = list(db.session.scalars(select(FaceEnrollment).where(FaceEnrollment.employee_id == employee.id)
                                    .order_by(FaceEnrollment.id)))
    trail = db.session.scalars(select(AuditRecord).where(
        AuditRecord.entity_type == "checkin", AuditRecord.entity_id.in_(checkin_ids)).order_by(AuditRecord.id))
    data = {
        "exported_at": utcnow().isoformat(),
        "employee": EmployeeSchema().dump(employee),
        "account": UserSchema().dump(user),
        "checkins": CheckinSchema(many=True).dump(checkins),
        "leaves": LeaveSchema(many=True).dump(db.session.scalars(
            select(Leave).where(Leave.employee_id == employee.id).order_by(Leave.start_date))),
        "face_enrollments": EnrollmentSchema(many=True).dump(faces),
        "checkin_audit": [{"checkin_id": entry.entity_id, "at": entry.at.isoformat(), "action": entry.action,
                           "actor_id": entry.actor_id, "before": entry.before, "after": entry.after}
                          for entry in trail],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for checkin in checkins:
            if checkin.selfie_sha256 and checkin.selfie_purged_at is None:
                _add_stored_file(archive, f"selfies/{checkin.id}", checkin.selfie_sha256, checkin.selfie_extension)
        for face in faces:
            _add_stored_file(archive, f"faces/{face.id}", face.thumbnail_sha256, THUMBNAIL_EXTENSION)
    audit.record("data.exported", "employee", employee.id, actor_id=user.id,
                 after={"checkins": len(checkins)})
    db.session.flush()
    return buffer.getvalue()


def _add_stored_file(archive: zipfile.ZipFile, name: str, sha256: str, extension: str) -> None:
    """A file from storage into the archive as it is (already compressed); one gone is left out."""
    try:
        data = current_storage().get(sha256, extension)
    except FileNotFoundError:
        return
    archive.writestr(f"{name}.{extension}", data, compress_type=zipfile.ZIP_STORED)
