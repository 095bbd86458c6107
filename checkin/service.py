"""Recording check-ins: evidence first, then the decision. Services flush; routes commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from geofences.service import candidate_sites, fence_cache

from .accounts.models import User
from .accounts.roles import EMPLOYEE
from .database import db, get_or_404, utcnow
from .errors import Conflict, DomainError, Forbidden
from .gps_decision import GpsFix, decide_gps
from .models import CheckIn
from .org.models import Employee
from .org.scope import can_see_employee, visible_unit_ids
from .storage import LocalStorage
from .verification.images import ImageRejected, decode_image


@dataclass(frozen=True)
class CheckinRequest:
    kind: str
    client_event_id: str
    captured_at: datetime
    fix: GpsFix | None
    mock_location: bool | None
    device_id: str | None
    selfie: bytes


class SelfieRejected(DomainError):
    def __init__(self, rejection: ImageRejected):
        super().__init__(rejection.message, errors={"selfie": [rejection.message]}, reason=rejection.reason)
        self.status_code = rejection.status_code


def storage() -> LocalStorage:
    return LocalStorage(current_app.config["STORAGE_DIR"])


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
        raise SelfieRejected(rejection) from None
    sha256 = storage().put(request.selfie, image.extension)

    decision = decide_gps(request.fix, fence_cache.index(candidate_sites(employee)),
                          mock_location=bool(request.mock_location))
    fix = request.fix
    checkin = CheckIn(
        client_event_id=request.client_event_id, employee_id=employee.id, kind=request.kind,
        status=decision.status, method=decision.method, site_id=decision.site_id,
        distance_m=decision.distance_m, reasons=decision.reasons,
        latitude=fix.latitude if fix else None, longitude=fix.longitude if fix else None,
        accuracy_m=fix.accuracy_m if fix else None,
        accuracy_confidence=fix.accuracy_confidence if fix else 68,
        mock_location=request.mock_location, device_id=request.device_id,
        captured_at=request.captured_at, received_at=utcnow(),
        selfie_sha256=sha256, selfie_extension=image.extension, selfie_content_type=image.content_type,
        selfie_bytes=len(request.selfie), selfie_width=image.width, selfie_height=image.height,
    )
    try:
        with db.session.begin_nested():
            db.session.add(checkin)
    except IntegrityError:
        winner = find_by_client_event_id(employee, request.client_event_id)
        if winner is None:
            raise
        return winner, False
    return checkin, True


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
