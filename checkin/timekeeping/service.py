"""Schedules and their assignments and overrides, exemptions, confirmed absences. Services flush;
the caller commits. Leave, punches and holidays have modules of their own."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from ..accounts.models import User
from ..audit import service as audit
from ..database import db, get_or_404
from ..errors import Conflict, InvalidInput
from ..org.models import Employee, OrgUnit
from ..org.scope import refuse_own_record, require_visible
from ..org.tree import Units
from ..timezones import BANGKOK
from .absence_days import absence_refusal
from .calendar import declared_along, holiday_name
from .holidays import declared_holidays
from .models import AbsenceConfirmation, Exemption, ScheduleAssignment, ScheduleOverride, WorkSchedule


def list_schedules() -> list[WorkSchedule]:
    return list(db.session.scalars(select(WorkSchedule).order_by(WorkSchedule.code)))


def create_schedule(data: dict, by: User | None = None) -> WorkSchedule:
    if db.session.scalar(select(WorkSchedule.id).where(WorkSchedule.code == data["code"])):
        raise Conflict(f"A schedule with code {data['code']!r} exists.")
    if not data["start"] < data["lunch_start"] <= data["lunch_end"] < data["end"]:
        raise InvalidInput("Times must be in order: start < lunch_start <= lunch_end < end.", reason="SCHEDULE_INVALID")
    schedule = WorkSchedule(**data)
    db.session.add(schedule)
    db.session.flush()
    audit.record("schedule.created", "schedule", schedule.id, actor_id=audit.actor_id(by), after=data)
    return schedule


def assign_schedule(data: dict, by: User | None = None) -> ScheduleAssignment:
    get_or_404(WorkSchedule, data["schedule_id"], "Schedule")
    if (data.get("unit_id") is None) == (data.get("employee_id") is None):
        raise InvalidInput("Give exactly one of unit_id or employee_id.", reason="SCHEDULE_TARGET")
    if data.get("unit_id") is not None:
        get_or_404(OrgUnit, data["unit_id"], "Unit")
    if data.get("employee_id") is not None:
        get_or_404(Employee, data["employee_id"], "Employee")
    assignment = ScheduleAssignment(**data)
    db.session.add(assignment)
    db.session.flush()
    audit.record("schedule.assigned", "schedule", assignment.schedule_id, actor_id=audit.actor_id(by),
                 after={"assignment_id": assignment.id, **data})
    return assignment


def override_day(data: dict, by: User | None = None) -> ScheduleOverride:
    if data.get("unit_id") is not None:
        get_or_404(OrgUnit, data["unit_id"], "Unit")
    override = ScheduleOverride(**data)
    db.session.add(override)
    db.session.flush()
    audit.record("schedule.overridden", "schedule_override", override.id, actor_id=audit.actor_id(by), after=data)
    return override


def create_exemption(employee: Employee, start: date, end: date, note: str, by: User | None) -> Exemption:
    """Approved field work: the days count as present without a check-in (so never one's own)."""
    refuse_own_record(by, employee, "an exemption")
    if end < start:
        raise InvalidInput("end_date is before start_date.", reason="DATES_INVALID")
    exemption = Exemption(employee_id=employee.id, start_date=start, end_date=end, note=note)
    db.session.add(exemption)
    db.session.flush()
    audit.record("exemption.created", "exemption", exemption.id, actor_id=audit.actor_id(by),
                 after={"employee_id": employee.id, "start_date": start, "end_date": end, "note": note})
    return exemption


def confirm_absence(confirmer: User, employee: Employee, day: date, note: str | None) -> AbsenceConfirmation:
    refuse_own_record(confirmer, employee, "an absence")
    require_visible(confirmer, employee, "This employee is outside your units.")
    holiday = holiday_name(day, declared_along(declared_holidays(day, day), Units.load().chain(employee.unit_id)))
    refusal = absence_refusal(day, datetime.now(BANGKOK).date(), employee.hired_on, holiday)
    if refusal is not None:
        raise InvalidInput(refusal.message, reason=refusal.reason)
    if db.session.scalar(select(AbsenceConfirmation.id).where(
            AbsenceConfirmation.employee_id == employee.id, AbsenceConfirmation.day == day)):
        raise Conflict(f"The absence of {employee.code} on {day} is already confirmed.", reason="ALREADY_CONFIRMED")
    confirmation = AbsenceConfirmation(employee_id=employee.id, day=day, confirmed_by_id=confirmer.id, note=note)
    db.session.add(confirmation)
    db.session.flush()
    audit.record("absence.confirmed", "employee", employee.id, actor_id=confirmer.id,
                 after={"day": day.isoformat(), "note": note})
    return confirmation
