"""Face enrollment (PDPA: explicit consent, least data). Erasure is privacy.erasure's: it reaches
the check-ins too.

Services flush; the caller commits.
"""

from __future__ import annotations

import io
import itertools

from flask import current_app
from PIL import Image
from sqlalchemy import func, select

from geofences.policy import DEFAULT_FACE_TOLERANCE_INSIDE

from ..accounts.models import User
from ..accounts.roles import ADMIN, HR
from ..audit import service as audit
from ..database import db, get_or_404, utcnow
from ..errors import Conflict, Forbidden, InvalidInput, NotFound, PhotoRejected
from ..org.models import Employee
from ..org.scope import require_visible
from ..storage import current_storage
from ..verification.faces import Face, analyse_faces, encoding_from_bytes, encoding_to_bytes, face_distance, thumbnail
from ..verification.images import ImageRejected, decode_image
from ..verification.replay import face_hash
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
    return enroll_faces(employee, [photo], consent=consent, recorded_by_id=recorded_by_id, source=source)[0]


def enroll_faces(employee: Employee, photos: list[bytes], *, consent: bool, recorded_by_id: int | None,
                 source: str) -> list[FaceEnrollment]:
    """Enrol one or more photos of the employee at once: all of them or none. Several photos
    (with and without glasses, other light) give the check-in more references to match."""
    if not consent:
        raise InvalidInput("Face data needs the employee's explicit consent (consent=true).",
                           errors={"consent": ["must be true"]}, reason="CONSENT_REQUIRED")
    # Concurrent enrolments of one employee queue on the employee's row (PostgreSQL; SQLite has
    # one writer anyway), so each counts the faces the others stored.
    db.session.execute(select(Employee.id).where(Employee.id == employee.id).with_for_update())
    count = db.session.scalar(select(func.count()).where(FaceEnrollment.employee_id == employee.id))
    if count + len(photos) > MAX_FACES_PER_EMPLOYEE:
        raise Conflict(f"{employee.code} has {count} enrolled faces; {len(photos)} more would exceed "
                       f"{MAX_FACES_PER_EMPLOYEE}. Erase them first.", reason="FACE_LIMIT")
    found = [_one_face(photo, number, len(photos)) for number, photo in enumerate(photos, start=1)]
    _refuse_different_people([face.encoding for _, face in found] + enrolled_encodings(employee.id))
    return [_store(employee, image, face, recorded_by_id, source) for image, face in found]


def _one_face(photo: bytes, number: int, of: int) -> tuple[Image.Image, Face]:
    """The photo's working copy and its one face, or a 4xx that names the photo (1-based)."""
    field = "photo" if of == 1 else f"photo {number}"
    config = current_app.config
    try:
        image = decode_image(photo, max_bytes=config["MAX_SELFIE_BYTES"], max_pixels=config["MAX_SELFIE_PIXELS"])
    except ImageRejected as rejection:
        raise PhotoRejected(rejection, field) from None
    faces = analyse_faces(image.preview)
    if not faces:
        raise InvalidInput(f"No face was found in {field}.", errors={field: ["no face"]}, reason="NO_FACE")
    if len(faces) > 1:
        raise InvalidInput(f"{len(faces)} faces are in {field}; enrol with a photo of one person.",
                           errors={field: ["several faces"]}, reason="MULTIPLE_FACES")
    if faces[0].encoding is None:
        raise InvalidInput(f"The face in {field} is too small to enrol; use a closer photo.",
                           errors={field: ["face too small"]}, reason="FACE_TOO_SMALL")
    return image.preview, faces[0]


def _refuse_different_people(encodings: list) -> None:
    """Every enrolled face of one employee must be the same person: a photo of someone else (a
    mixed-up file) would let that person check in as the employee."""
    for first, second in itertools.combinations(encodings, 2):
        if face_distance(first, [second]) > DEFAULT_FACE_TOLERANCE_INSIDE:
            raise InvalidInput("These photos do not show the same person (nor the faces already enrolled).",
                               errors={"photo": ["different people"]}, reason="FACES_DIFFER")


def _store(employee: Employee, image: Image.Image, face: Face, recorded_by_id: int | None,
           source: str) -> FaceEnrollment:
    buffer = io.BytesIO()
    thumbnail(image, face.box).save(buffer, "JPEG", quality=85)
    enrollment = FaceEnrollment(
        employee_id=employee.id, encoding=encoding_to_bytes(face.encoding), face_phash=face_hash(image, face.eyes),
        thumbnail_sha256=current_storage().put(buffer.getvalue(), THUMBNAIL_EXTENSION),
        consent_recorded_by_id=recorded_by_id, consent_at=utcnow(), source=source,
    )
    db.session.add(enrollment)
    db.session.flush()
    audit.record("face.enrolled", "employee", employee.id, actor_id=recorded_by_id,
                 after={"face_id": enrollment.id, "consent_at": enrollment.consent_at.isoformat(), "source": source})
    return enrollment
