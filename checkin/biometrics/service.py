"""Face enrollment (PDPA: explicit consent, least data). Erasure is privacy.erasure's: it reaches
the check-ins too.

Services flush; the caller commits.
"""

from __future__ import annotations

import io

from flask import current_app
from sqlalchemy import func, select

from ..accounts.models import User
from ..accounts.roles import ADMIN, HR
from ..audit import service as audit
from ..database import db, get_or_404, utcnow
from ..errors import Conflict, Forbidden, InvalidInput, NotFound, PhotoRejected
from ..org.models import Employee
from ..org.scope import require_visible
from ..storage import current_storage
from ..verification.faces import analyse_faces, encoding_from_bytes, encoding_to_bytes, thumbnail
from ..verification.images import ImageRejected, decode_image
from .models import FaceEnrollment

MAX_FACES_PER_EMPLOYEE = 5
THUMBNAIL_EXTENSION = "jpg"


def enrolled_encodings(employee_id: int) -> list:
    rows = db.session.scalars(select(FaceEnrollment.encoding).where(FaceEnrollment.employee_id == employee_id))
    return [encoding_from_bytes(row) for row in rows]


def list_enrollments(employee: Employee) -> list[FaceEnrollment]:
    return list(db.session.scalars(
        select(FaceEnrollment).where(FaceEnrollment.employee_id == employee.id).order_by(FaceEnrollment.id)))


def list_faces(viewer: User, employee: Employee) -> list[FaceEnrollment]:
    """An employee's enrolled faces: for admin, HR and the employee themself."""
    if viewer.role not in (ADMIN, HR) and viewer.employee_id != employee.id:
        raise Forbidden("Only admin, HR or the employee may list enrolled faces.", reason="OUT_OF_SCOPE")
    return list_enrollments(employee)


def get_visible_face(viewer: User, employee_id: int, face_id: int) -> FaceEnrollment:
    """One enrolled face, for whoever may see the employee (their supervisors too: the review page)."""
    enrollment = get_or_404(FaceEnrollment, face_id, "Face")
    if enrollment.employee_id != employee_id:
        raise NotFound(f"Face {face_id} does not belong to employee {employee_id}.")
    require_visible(viewer, get_or_404(Employee, employee_id, "Employee"))
    return enrollment


def enroll_face(employee: Employee, photo: bytes, *, consent: bool, recorded_by_id: int | None,
                source: str) -> FaceEnrollment:
    if not consent:
        raise InvalidInput("Face data needs the employee's explicit consent (consent=true).",
                           errors={"consent": ["must be true"]}, reason="CONSENT_REQUIRED")
    # Concurrent enrolments of one employee queue on the employee's row (PostgreSQL; SQLite has
    # one writer anyway), so each counts the faces the others stored.
    db.session.execute(select(Employee.id).where(Employee.id == employee.id).with_for_update())
    count = db.session.scalar(select(func.count()).where(FaceEnrollment.employee_id == employee.id))
    if count >= MAX_FACES_PER_EMPLOYEE:
        raise Conflict(f"{employee.code} already has {MAX_FACES_PER_EMPLOYEE} enrolled faces; erase them first.",
                       reason="FACE_LIMIT")
    config = current_app.config
    try:
        image = decode_image(photo, max_bytes=config["MAX_SELFIE_BYTES"], max_pixels=config["MAX_SELFIE_PIXELS"])
    except ImageRejected as rejection:
        raise PhotoRejected(rejection, "photo") from None
    faces = analyse_faces(image.preview)
    if not faces:
        raise InvalidInput("No face was found in the photo.", errors={"photo": ["no face"]}, reason="NO_FACE")
    if len(faces) > 1:
        raise InvalidInput(f"{len(faces)} faces are in the photo; enrol with a photo of one person.",
                           errors={"photo": ["several faces"]}, reason="MULTIPLE_FACES")
    if faces[0].encoding is None:
        raise InvalidInput("The face is too small to enrol; use a closer photo.",
                           errors={"photo": ["face too small"]}, reason="FACE_TOO_SMALL")

    buffer = io.BytesIO()
    thumbnail(image.preview, faces[0].box).save(buffer, "JPEG", quality=85)
    enrollment = FaceEnrollment(
        employee_id=employee.id, encoding=encoding_to_bytes(faces[0].encoding),
        thumbnail_sha256=current_storage().put(buffer.getvalue(), THUMBNAIL_EXTENSION),
        consent_recorded_by_id=recorded_by_id, consent_at=utcnow(), source=source,
    )
    db.session.add(enrollment)
    db.session.flush()
    audit.record("face.enrolled", "employee", employee.id, actor_id=recorded_by_id,
                 after={"face_id": enrollment.id, "consent_at": enrollment.consent_at.isoformat(), "source": source})
    return enrollment
