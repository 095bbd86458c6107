"""Recording check-ins: evidence first, then the decision. Services flush; routes commit."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from geofences.fence_cache import fence_cache
from geofences.policy import SIGN_ALWAYS

from ..accounts.models import User
from ..accounts.roles import EMPLOYEE
from ..audit import service as audit
from ..database import db, get_or_404, utcnow
from ..errors import Conflict, Forbidden, PhotoRejected
from ..observability import VERIFICATION_SECONDS, record_decision
from ..org.models import Employee
from ..org.scope import require_visible, visible_to
from ..storage import current_storage
from ..timezones import BANGKOK
from ..verification.evidence import PhotoEvidence
from ..verification.faces import encoding_to_bytes
from ..verification.images import DecodedImage, ImageRejected, decode_image
from . import reasons as R
from .candidates import candidate_sites
from .gps_step import GpsDecision, GpsFix, decide_gps
from .models import CheckIn
from .photo_step import Claim, evaluate, policy_of
from .statuses import ACCEPTED, FLAGGED
from .throttle import take_allowance

log = logging.getLogger(__name__)
# A queued selfie not in storage after this many tries (one per sweep) goes to a supervisor.
MISSING_SELFIE_TRIES = 5


@dataclass(frozen=True)
class CheckinRequest:
    kind: str
    client_event_id: str
    captured_at: datetime
    fix: GpsFix | None
    mock_location: bool | None
    device_id: str | None
    selfie: bytes
    position_at: datetime | None = None
    sent_at: datetime | None = None


def find_by_client_event_id(employee: Employee, client_event_id: str) -> CheckIn | None:
    checkin = db.session.scalar(select(CheckIn).where(CheckIn.client_event_id == client_event_id))
    if checkin is not None and checkin.employee_id != employee.id:
        raise Conflict("This client_event_id was already used by another employee.",
                       reason="CLIENT_EVENT_ID_CONFLICT")
    return checkin


def record_checkin(user: User, request: CheckinRequest, defer_photo: bool = False) -> tuple[CheckIn, bool]:
    """Store the event with its evidence and decision; (check-in, created).

    A retry with a known client_event_id returns the stored check-in unchanged, also when
    the first attempt is committing at the same moment (the unique key decides the winner).
    With `defer_photo`, a check-in that GPS alone accepts is stored at once with its photo
    check queued (`verification = "queued"`): a worker runs it and may still flag it. A check-in
    that needs the photo to decide is always examined here, so the phone gets its answer.
    """
    employee = employee_of(user)
    existing = find_by_client_event_id(employee, request.client_event_id)
    if existing is not None:
        return existing, False
    take_allowance(employee.id)

    received_at = utcnow()
    candidates = candidate_sites(employee)
    gps = decide_gps(request.fix, fence_cache.index(candidates), mock_location=bool(request.mock_location))
    # A site that wants its sign every time answers with it at once, not from a worker later.
    defer = defer_photo and gps.status == ACCEPTED and policy_of(gps, candidates).sign_required != SIGN_ALWAYS
    config = current_app.config
    try:  # a deferred photo is only proven whole here; the worker makes the working copy
        image = decode_image(request.selfie, max_bytes=config["MAX_SELFIE_BYTES"],
                             max_pixels=config["MAX_SELFIE_PIXELS"], preview=not defer)
    except ImageRejected as rejection:
        raise PhotoRejected(rejection, "selfie") from None
    sha256 = current_storage().put(request.selfie, image.extension)
    claim = Claim(employee, request.fix, request.captured_at, received_at, request.selfie, image, sha256,
                  position_at=request.position_at, sent_at=request.sent_at)
    started = time.perf_counter()
    decision, evidence = evaluate(claim, gps, candidates, examine_photo=not defer)
    if not defer:
        VERIFICATION_SECONDS.labels("request").observe(time.perf_counter() - started)

    checkin = _new_checkin(employee, request, received_at, image, sha256, queued=defer)
    apply_decision(checkin, decision, evidence, candidates)
    db.session.add(checkin)
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent retry won; this transaction has only read so far
        db.session.rollback()
        winner = find_by_client_event_id(employee, request.client_event_id)
        if winner is None:
            raise
        return winner, False
    _record_created(user, checkin)
    return checkin, True


def _new_checkin(employee: Employee, request: CheckinRequest, received_at: datetime, image: DecodedImage,
                 sha256: str, queued: bool) -> CheckIn:
    """The row: what the phone claimed and what is known of the stored selfie."""
    fix = request.fix
    return CheckIn(
        client_event_id=request.client_event_id, employee_id=employee.id, kind=request.kind,
        latitude=fix.latitude if fix else None, longitude=fix.longitude if fix else None,
        accuracy_m=fix.accuracy_m if fix else None,
        accuracy_confidence=fix.accuracy_confidence if fix else 68,
        mock_location=request.mock_location, device_id=request.device_id,
        captured_at=request.captured_at, received_at=received_at, position_at=request.position_at,
        sent_at=request.sent_at,
        selfie_sha256=sha256, selfie_extension=image.extension, selfie_content_type=image.content_type,
        selfie_bytes=len(request.selfie), selfie_width=image.width, selfie_height=image.height,
        verification="queued" if queued else None,
    )


def _record_created(user: User, checkin: CheckIn) -> None:
    """The audit trail and the metrics of a new check-in: what arrived, then what was decided."""
    audit.record("checkin.created", "checkin", checkin.id, actor_id=user.id,
                 after={"kind": checkin.kind, "client_event_id": checkin.client_event_id,
                        "selfie_sha256": checkin.selfie_sha256, "captured_at": checkin.captured_at.isoformat()})
    record_decision(checkin.status, checkin.reasons)
    audit.record("checkin.decided", "checkin", checkin.id, actor_id=None,
                 after={"status": checkin.status, "method": checkin.method, "reasons": checkin.reasons,
                        "site_id": checkin.site_id, "site_version": checkin.site_version,
                        "verification": checkin.verification})


def verify_queued_checkin(checkin_id: int) -> CheckIn | None:
    """The deferred photo check of a check-in GPS accepted (run by a worker). Idempotent: a
    check-in no longer queued is left alone, so a redelivered task does nothing twice."""
    checkin = db.session.get(CheckIn, checkin_id, with_for_update=db.session.bind.dialect.name == "postgresql")
    if checkin is None or checkin.verification != "queued":
        return checkin
    try:
        selfie = current_storage().get(checkin.selfie_sha256, checkin.selfie_extension)
    except FileNotFoundError:
        return _selfie_missing(checkin)
    config = current_app.config
    try:
        image = decode_image(selfie, max_bytes=config["MAX_SELFIE_BYTES"], max_pixels=config["MAX_SELFIE_PIXELS"])
    except ImageRejected as error:
        # A selfie queued before today's image rules (or damaged on disk) must not fail forever
        # on every retry: a person looks at it instead.
        return _flag_unreadable(checkin, error.reason)
    fix = None if checkin.latitude is None else GpsFix(checkin.latitude, checkin.longitude, checkin.accuracy_m,
                                                         checkin.accuracy_confidence)
    gps = GpsDecision(checkin.status, checkin.method, checkin.site_id, checkin.distance_m, list(checkin.reasons))
    claim = Claim(checkin.employee, fix, checkin.captured_at, checkin.received_at, selfie, image,
                  checkin.selfie_sha256, checkin.id, checkin.position_at, checkin.sent_at)
    started = time.perf_counter()
    candidates = candidate_sites(checkin.employee)
    decision, evidence = evaluate(claim, gps, candidates, examine_photo=True)
    VERIFICATION_SECONDS.labels("worker").observe(time.perf_counter() - started)
    before = {"status": checkin.status, "reasons": list(checkin.reasons)}
    apply_decision(checkin, decision, evidence, candidates)
    checkin.verification = "done"
    audit.record("checkin.verified", "checkin", checkin.id, actor_id=None, before=before,
                 after={"status": checkin.status, "reasons": checkin.reasons})
    db.session.flush()
    return checkin


def _selfie_missing(checkin: CheckIn) -> CheckIn:
    """No stored selfie: it may yet appear (storage catching up), so the check-in stays queued for
    the next sweep, but only for MISSING_SELFIE_TRIES tries; then a person looks at it."""
    checkin.verification_tries += 1
    if checkin.verification_tries >= MISSING_SELFIE_TRIES:
        return _flag_unreadable(checkin, "FILE_MISSING")
    log.warning("check-in %s: no stored selfie %s.%s (try %s of %s); it stays queued", checkin.id,
                checkin.selfie_sha256, checkin.selfie_extension, checkin.verification_tries, MISSING_SELFIE_TRIES)
    db.session.flush()
    return checkin


def _flag_unreadable(checkin: CheckIn, image_error: str) -> CheckIn:
    before = {"status": checkin.status, "reasons": list(checkin.reasons)}
    checkin.status = FLAGGED
    checkin.reasons = [*checkin.reasons, R.PHOTO_UNREADABLE]
    checkin.verification = "done"
    audit.record("checkin.verified", "checkin", checkin.id, actor_id=None, before=before,
                 after={"status": checkin.status, "reasons": checkin.reasons, "image_error": image_error})
    db.session.flush()
    return checkin


def queued_checkin_ids(older_than_seconds: float = 0) -> list[int]:
    """Check-ins whose photo check is still waiting (to re-enqueue after a broker outage)."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    return list(db.session.scalars(select(CheckIn.id).where(
        CheckIn.verification == "queued", CheckIn.received_at <= cutoff).order_by(CheckIn.id)))


def queued_count() -> int:
    """Check-ins whose photo check waits for a worker (the queue-depth metric)."""
    return db.session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.verification == "queued"))


def apply_decision(checkin: CheckIn, decision, evidence: PhotoEvidence | None, candidates: list) -> None:
    face, sign = decision.face, decision.sign
    checkin.status, checkin.method, checkin.site_id = decision.status, decision.method, decision.site_id
    decided_site = next((site for site in candidates if site.id == decision.site_id), None)
    if decided_site is not None:  # the response names it (no query for what is at hand), with its fence's version
        checkin.site, checkin.site_version = decided_site, decided_site.version
    checkin.distance_m, checkin.reasons = decision.distance_m, decision.reasons
    checkin.face_checked = face.examined
    checkin.face_matched = face.matched if face.examined else None
    checkin.face_distance = face.distance
    checkin.face_count = face.face_count if face.examined else None
    checkin.face_tolerance = face.tolerance if face.examined else None
    checkin.face_reference_kind = face.reference.kind if face.reference else None
    checkin.face_reference_id = face.reference.id if face.reference else None
    checkin.sign_found, checkin.sign_matched = bool(sign.sightings), sign.matched
    checkin.sign_id = decision.sign_id
    if evidence is not None:
        checkin.selfie_phash, checkin.selfie_face_phash = evidence.hashes.photo, evidence.hashes.face
        checkin.selfie_face_encoding = None if evidence.encoding is None else encoding_to_bytes(evidence.encoding)


def checkin_query(viewer: User, filters: dict) -> Select:
    query = select(CheckIn).join(CheckIn.employee).order_by(CheckIn.received_at.desc(), CheckIn.id.desc())
    employee_id = filters.get("employee_id")
    if viewer.role == EMPLOYEE and employee_id is not None and employee_id != viewer.employee_id:
        raise Forbidden("Employees can only list their own check-ins.", reason="OUT_OF_SCOPE")
    query = query.where(visible_to(viewer, CheckIn.employee_id, Employee.unit_id))
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
    require_visible(viewer, checkin.employee, "This check-in belongs to someone outside your scope.")
    return checkin


def employee_record_of(user: User) -> Employee:
    """The employee record of the account, active or not (a former employee's own data is still theirs)."""
    if user.employee is None:
        raise Forbidden("Only accounts linked to an employee record have one.", reason="NO_EMPLOYEE_RECORD")
    return user.employee


def employee_of(user: User) -> Employee:
    """The employee who may check in with this account."""
    if user.employee is None:
        raise Forbidden("Only accounts linked to an employee record can check in.", reason="NO_EMPLOYEE_RECORD")
    if not user.employee.active:
        raise Forbidden("This employee record is inactive.", reason="EMPLOYEE_INACTIVE")
    ended = user.employee.employment_ended_on
    if ended is not None and ended < datetime.now(BANGKOK).date():
        raise Forbidden(f"This employee's service ended on {ended}.", reason="EMPLOYMENT_ENDED")
    return user.employee
