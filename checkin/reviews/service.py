"""Supervisors' review of flagged check-ins. Services flush; routes commit."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, String, cast, select, update

from ..accounts.models import User
from ..accounts.roles import ADMIN, HR
from ..audit import service as audit
from ..checkins.models import CheckIn
from ..checkins.statuses import ACCEPTED, FLAGGED, REJECTED
from ..database import db, utcnow
from ..errors import Conflict, Forbidden, InvalidInput
from ..org.models import Employee
from ..org.scope import can_see_employee, descendant_unit_ids, visible_to
from ..timezones import BANGKOK

APPROVE, REJECT = "approve", "reject"


def queue_query(viewer: User, status: str, unit_id: int | None, reason: str | None = None,
                first_day: date | None = None, last_day: date | None = None) -> Select:
    """Check-ins that were flagged: pending ones still wait; decided ones carry a review.
    Optionally of one unit (and below), with one reason, received between two Bangkok days."""
    query = select(CheckIn).join(CheckIn.employee)
    if status == "pending":
        query = query.where(CheckIn.status == FLAGGED, CheckIn.review_decision.is_(None))
    else:
        query = query.where(CheckIn.review_decision.is_not(None))
    query = query.where(visible_to(viewer, CheckIn.employee_id, Employee.unit_id))
    if unit_id is not None:
        query = query.where(Employee.unit_id.in_(descendant_unit_ids({unit_id})))
    if reason is not None:  # the JSON list as text holds the quoted code (SQLite and PostgreSQL alike)
        query = query.where(cast(CheckIn.reasons, String).like(f'%"{reason}"%'))
    if first_day is not None:
        query = query.where(CheckIn.received_at >= datetime.combine(first_day, time(0), BANGKOK))
    if last_day is not None:
        query = query.where(CheckIn.received_at < datetime.combine(last_day + timedelta(days=1), time(0), BANGKOK))
    return query.order_by(CheckIn.received_at, CheckIn.id)


def decide(reviewer: User, checkin: CheckIn, decision: str, note: str | None) -> CheckIn:
    if reviewer.role == HR:
        raise Forbidden("HR reads the queue; supervisors decide.", reason="ROLE_REQUIRED")
    if reviewer.employee_id is not None and reviewer.employee_id == checkin.employee_id:
        raise Forbidden("Nobody reviews their own check-in.", reason="OWN_CHECKIN")
    if reviewer.role != ADMIN and not can_see_employee(reviewer, checkin.employee):
        raise Forbidden("This check-in belongs to someone outside your units.", reason="OUT_OF_SCOPE")
    if checkin.review_decision is not None:
        raise Conflict("This check-in was already reviewed; a decision cannot be changed.", reason="ALREADY_DECIDED")
    if checkin.status != FLAGGED:
        raise Conflict("Only flagged check-ins are reviewed.", reason="NOT_FLAGGED")
    note = (note or "").strip() or None
    if decision == REJECT and note is None:
        raise InvalidInput("A rejection needs a note saying why.", errors={"note": ["required to reject"]},
                           reason="NOTE_REQUIRED")

    before = {"status": checkin.status}
    # One statement that only changes a still-undecided row: of two reviews at once, the second
    # waits for the first's row lock (PostgreSQL) or the database lock (SQLite), then finds the
    # decision made and changes nothing. Reading then writing would let both succeed.
    decided = db.session.execute(
        update(CheckIn).where(CheckIn.id == checkin.id, CheckIn.status == FLAGGED, CheckIn.review_decision.is_(None))
        .values(status=ACCEPTED if decision == APPROVE else REJECTED, review_decision=decision,
                reviewed_by_id=reviewer.id, reviewed_at=utcnow(), review_note=note)
        .execution_options(synchronize_session="fetch"))
    if decided.rowcount != 1:
        db.session.refresh(checkin)
        raise Conflict("This check-in was just reviewed by someone else; a decision cannot be changed.",
                       reason="ALREADY_DECIDED")
    audit.record("checkin.reviewed", "checkin", checkin.id, actor_id=reviewer.id, before=before,
                 after={"status": checkin.status, "decision": decision, "note": note})
    db.session.flush()
    return checkin
