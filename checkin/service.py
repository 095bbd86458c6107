"""Recording check-ins: evidence first, then the decision. Services flush; routes commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from geofences.service import candidate_sites, fence_cache
from geofences.signs import resolve_sightings

from .accounts.models import User
from .accounts.roles import EMPLOYEE
from . import reasons as R
from .audit import service as audit
from .biometrics.service import enrolled_encodings
from .database import db, get_or_404, utcnow
from .decision import FaceCheck, SignCheck, decide_checkin
from .errors import Conflict, Forbidden, PhotoRejected
from .gps_decision import GpsFix, decide_gps
from .models import CheckIn
from .org.models import Employee
from .org.scope import can_see_employee, visible_unit_ids
from .storage import current_storage
from .verification.evidence import PhotoEvidence, examine_selfie
from .verification.faces import encoding_from_bytes, encoding_to_bytes
from .verification.images import ImageRejected, decode_image
from .verification.replay import RECENT_SELFIES, is_near_duplicate
from .verification.signals import Position, clock_skewed, impossible_travel


@dataclass(frozen=True)
class CheckinRequest:
    kind: str
    client_event_id: str
    captured_at: datetime
    fix: GpsFix | None
    mock_location: bool | None
    device_id: str | None
    selfie: bytes


def find_by_client_event_id(employee: Employee, client_event_id: str) -> CheckIn | None:
    checkin = db.session.scalar(select(CheckIn).where(CheckIn.client_event_id == client_event_id))
    if checkin is not None and checkin.employee_id != employee.id:
        raise Conflict("This client_event_id was already used by another employee.",
                       reason="CLIENT_EVENT_ID_CONFLICT")
    return checkin


def record_checkin(employee: Employee, request: CheckinRequest) -> tuple[CheckIn, bool]:
    """Store the event with its evidence and decision; (check-in, created).

    A retry with a known client_event_id returns the stored check-in unchanged, also when
    the first attempt is committing at the same moment (the unique key decides the winner).
    """
    existing = find_by_client_event_id(employee, request.client_event_id)
    if existing is not None:
        return existing, False

    config = current_app.config
    try:
        image = decode_image(request.selfie, max_bytes=config["MAX_SELFIE_BYTES"],
                             max_pixels=config["MAX_SELFIE_PIXELS"])
    except ImageRejected as rejection:
        raise PhotoRejected(rejection, "selfie") from None
    sha256 = current_storage().put(request.selfie, image.extension)
    received_at = utcnow()

    candidates = candidate_sites(employee)
    gps = decide_gps(request.fix, fence_cache.index(candidates), mock_location=bool(request.mock_location))
    enrolled = enrolled_encodings(employee.id)
    evidence = examine_selfie(request.selfie, image, look_for_faces=bool(enrolled))
    face = FaceCheck.of(enrolled, len(evidence.faces), evidence.encoding)
    sign = SignCheck(resolve_sightings(evidence.qr_texts, {site.id for site in candidates}, received_at))
    signals = _signals(employee, request, evidence, sha256, received_at)
    decision = decide_checkin(gps, face, sign, signals)

    fix = request.fix
    checkin = CheckIn(
        client_event_id=request.client_event_id, employee_id=employee.id, kind=request.kind,
        status=decision.status, method=decision.method, site_id=decision.site_id,
        distance_m=decision.distance_m, reasons=decision.reasons,
        latitude=fix.latitude if fix else None, longitude=fix.longitude if fix else None,
        accuracy_m=fix.accuracy_m if fix else None,
        accuracy_confidence=fix.accuracy_confidence if fix else 68,
        mock_location=request.mock_location, device_id=request.device_id,
        captured_at=request.captured_at, received_at=received_at,
        selfie_sha256=sha256, selfie_extension=image.extension, selfie_content_type=image.content_type,
        selfie_bytes=len(request.selfie), selfie_width=image.width, selfie_height=image.height,
        selfie_phash=evidence.phash,
        selfie_face_encoding=None if evidence.encoding is None else encoding_to_bytes(evidence.encoding),
        face_checked=face.examined, face_matched=face.matched if face.enrolled else None,
        face_distance=face.distance, face_count=len(evidence.faces) if face.examined else None,
        sign_found=bool(sign.sightings), sign_matched=sign.matched,
        sign_id=sign.best.sign_id if sign.best else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(checkin)
    except IntegrityError:
        winner = find_by_client_event_id(employee, request.client_event_id)
        if winner is None:
            raise
        return winner, False
    audit.record("checkin.created", "checkin", checkin.id, actor_id=employee.user.id if employee.user else None,
                 after={"kind": checkin.kind, "client_event_id": checkin.client_event_id,
                        "selfie_sha256": checkin.selfie_sha256, "captured_at": checkin.captured_at.isoformat()})
    audit.record("checkin.decided", "checkin", checkin.id, actor_id=None,
                 after={"status": checkin.status, "method": checkin.method, "reasons": checkin.reasons,
                        "site_id": checkin.site_id})
    return checkin, True


def _signals(employee: Employee, request: CheckinRequest, evidence: PhotoEvidence, sha256: str,
             received_at: datetime) -> list[str]:
    """The always-flag signals of PRODUCT.md step 3 (mock location is part of the GPS step)."""
    found = []
    recent = db.session.execute(
        select(CheckIn.selfie_phash, CheckIn.selfie_face_encoding).where(CheckIn.employee_id == employee.id)
        .order_by(CheckIn.received_at.desc()).limit(RECENT_SELFIES)).all()
    earlier = [(phash, None if blob is None else encoding_from_bytes(blob)) for phash, blob in recent]
    used_before = db.session.scalar(select(CheckIn.id).where(CheckIn.selfie_sha256 == sha256).limit(1))
    if used_before is not None or is_near_duplicate(evidence.phash, evidence.encoding, earlier):
        found.append(R.DUPLICATE_PHOTO)
    if clock_skewed(received_at, request.captured_at, evidence.exif_taken_at):
        found.append(R.CLOCK_SKEW)
    if request.fix is not None and not request.fix.is_no_fix:
        previous = db.session.execute(
            select(CheckIn.latitude, CheckIn.longitude, CheckIn.accuracy_m, CheckIn.accuracy_confidence,
                   CheckIn.received_at)
            .where(CheckIn.employee_id == employee.id, CheckIn.latitude.is_not(None),
                   (CheckIn.latitude != 0) | (CheckIn.longitude != 0))
            .order_by(CheckIn.received_at.desc()).limit(1)).first()
        if previous is not None:
            before = GpsFix(previous.latitude, previous.longitude, previous.accuracy_m, previous.accuracy_confidence)
            if impossible_travel(Position(before.latitude, before.longitude, before.radius_95_m, previous.received_at),
                                 Position(request.fix.latitude, request.fix.longitude, request.fix.radius_95_m,
                                          received_at)):
                found.append(R.IMPOSSIBLE_TRAVEL)
    return found


def checkin_query(viewer: User, filters: dict) -> Select:
    query = select(CheckIn).join(CheckIn.employee).order_by(CheckIn.received_at.desc(), CheckIn.id.desc())
    employee_id = filters.get("employee_id")
    if viewer.role == EMPLOYEE:
        if employee_id is not None and employee_id != viewer.employee_id:
            raise Forbidden("Employees can only list their own check-ins.", reason="OUT_OF_SCOPE")
        query = query.where(CheckIn.employee_id == viewer.employee_id)
    else:
        units = visible_unit_ids(viewer)
        if units is not None:
            query = query.where((Employee.unit_id.in_(units)) | (CheckIn.employee_id == viewer.employee_id))
    if employee_id is not None:
        query = query.where(CheckIn.employee_id == employee_id)
    if "from_" in filters:
        query = query.where(CheckIn.received_at >= filters["from_"])
    if "to" in filters:
        query = query.where(CheckIn.received_at < filters["to"])
    if "status" in filters:
        query = query.where(CheckIn.status == filters["status"])
    return query


def get_visible_checkin(viewer: User, checkin_id: int) -> CheckIn:
    checkin = get_or_404(CheckIn, checkin_id, "Check-in")
    if not can_see_employee(viewer, checkin.employee):
        raise Forbidden("This check-in belongs to someone outside your scope.", reason="OUT_OF_SCOPE")
    return checkin


def employee_of(user: User) -> Employee:
    if user.employee is None:
        raise Forbidden("Only accounts linked to an employee record can check in.", reason="NO_EMPLOYEE_RECORD")
    if not user.employee.active:
        raise Forbidden("This employee record is inactive.", reason="EMPLOYEE_INACTIVE")
    return user.employee
