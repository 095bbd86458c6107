"""Loading the facts of attendance from the database, then handing them to the pure rules.

Check-ins are aggregated in SQL (first accepted arrival, last accepted departure, undecided
flags per employee and Bangkok day) for a few hundred employees at a time, so a round for 10,000
employees never holds every check-in in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Date, case, cast, func, or_, select, type_coerce
from sqlalchemy.types import NullType

from ..accounts.models import User
from ..checkins.models import CheckIn
from ..database import batches, db
from ..org.models import Employee
from ..org.scope import descendant_unit_ids, visible_to
from ..org.tree import Units
from ..timekeeping.calendar import dates_between, declared_along, holiday_name, is_weekend
from ..timekeeping.holidays import declared_holidays
from ..timekeeping.models import (AbsenceConfirmation, Exemption, Leave, ScheduleAssignment, ScheduleOverride,
                                  WorkSchedule)
from ..timezones import BANGKOK
from . import attendance as A
from .salary_step import LeaveSpan

EMPLOYEES_PER_QUERY = 500
NO_EVENTS = (None, None, 0)  # no check-in that day
CalendarDay = tuple[date, bool, str | None, A.Shift, A.DayRecord]  # day, weekend, holiday name, shift, plain record


def scoped_employees(viewer: User | None, unit_id: int | None, first: date, last: date) -> list[Employee]:
    """Employees the viewer may report on (None: an operator at the CLI, everyone) who were in
    service on some day from `first` to `last`. Whether an account is active does not matter:
    a person who left keeps the days they served, and one not yet hired is left out."""
    query = (select(Employee).order_by(Employee.id)
             .where(or_(Employee.hired_on.is_(None), Employee.hired_on <= last))
             .where(or_(Employee.employment_ended_on.is_(None), Employee.employment_ended_on >= first)))
    if viewer is not None:
        query = query.where(visible_to(viewer, Employee.id, Employee.unit_id))
    if unit_id is not None:
        query = query.where(Employee.unit_id.in_(descendant_unit_ids({unit_id})))
    return list(db.session.scalars(query))


def _local_day():
    if db.session.bind.dialect.name == "postgresql":
        return cast(func.timezone("Asia/Bangkok", CheckIn.received_at), Date)
    return func.date(CheckIn.received_at, "+7 hours")  # SQLite keeps UTC; Bangkok is UTC+7 all year


def _event_days(employee_ids: list[int], start: date, end: date) -> dict[int, dict[date, tuple]]:
    """employee -> Bangkok day -> (first accepted in, last accepted out, undecided flags)."""
    local_day = _local_day().label("day")
    begin = datetime.combine(start, datetime.min.time(), BANGKOK).astimezone(timezone.utc)
    stop = datetime.combine(end + timedelta(days=1), datetime.min.time(), BANGKOK).astimezone(timezone.utc)
    accepted = CheckIn.status == "accepted"
    # The first and last times come as the driver gives them (NullType: no column type's
    # converters, which cost seconds over a round's million days) and _bangkok reads them.
    statement = (
        select(CheckIn.employee_id, local_day,
               type_coerce(func.min(case((accepted & (CheckIn.kind == "in"), CheckIn.received_at))), NullType),
               type_coerce(func.max(case((accepted & (CheckIn.kind == "out"), CheckIn.received_at))), NullType),
               func.sum(case((CheckIn.status == "flagged", 1), else_=0)))
        .where(CheckIn.employee_id.in_(employee_ids), CheckIn.received_at >= begin, CheckIn.received_at < stop)
        .group_by(CheckIn.employee_id, local_day)
    )
    events: dict[int, dict[date, tuple]] = defaultdict(dict)
    for employee_id, day, first_in, last_out, flagged in db.session.connection().execute(statement).all():
        day = date.fromisoformat(day) if isinstance(day, str) else day
        events[employee_id][day] = (_bangkok(first_in), _bangkok(last_out), int(flagged or 0))
    return events


def _bangkok(moment: str | datetime | None) -> datetime | None:
    """A check-in time from the driver, in Bangkok time: SQLite hands back the naive UTC text
    UTCDateTime stored, PostgreSQL an aware datetime."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment + "+00:00")  # four times faster than .replace(tzinfo=...)
    return moment.astimezone(BANGKOK)


class Facts:
    """Everything but check-ins that decides an employee's days, loaded for a date range."""

    def __init__(self, employees: list[Employee], start: date, end: date):
        self.start, self.end, self.units = start, end, Units.load()
        self.dates = dates_between(start, end)
        self.weekends = [is_weekend(day) for day in self.dates]
        self.calendars: dict[tuple[str, int], list[CalendarDay]] = {}  # per unit; per employee with own schedule
        ids = [employee.id for employee in employees]
        self.declared = declared_holidays(start, end)
        schedules = {s.id: A.Shift(s.start, s.end, s.lunch_start, s.lunch_end)
                     for s in db.session.scalars(select(WorkSchedule))}
        self.assignments: dict[tuple[str, int], list[tuple[date, date | None, A.Shift]]] = defaultdict(list)
        for row in db.session.scalars(select(ScheduleAssignment).where(
                ScheduleAssignment.valid_from <= end).order_by(ScheduleAssignment.valid_from)):
            target = ("employee", row.employee_id) if row.employee_id else ("unit", row.unit_id)
            self.assignments[target].append((row.valid_from, row.valid_to, schedules[row.schedule_id]))
        self.overrides: dict[tuple[date, int | None], ScheduleOverride] = {
            (row.day, row.unit_id): row for row in db.session.scalars(
                select(ScheduleOverride).where(ScheduleOverride.day.between(start, end)))}
        self.leaves = defaultdict(list)
        self.exemptions = defaultdict(list)
        self.absences: dict[int, set[date]] = defaultdict(set)
        for chunk in batches(ids, 1000):
            for leave in db.session.scalars(select(Leave).where(
                    Leave.employee_id.in_(chunk), Leave.start_date <= end, Leave.end_date >= start)):
                self.leaves[leave.employee_id].append(leave)
            for exemption in db.session.scalars(select(Exemption).where(
                    Exemption.employee_id.in_(chunk), Exemption.start_date <= end, Exemption.end_date >= start)):
                self.exemptions[exemption.employee_id].append(exemption)
            for employee_id, day in db.session.execute(select(AbsenceConfirmation.employee_id, AbsenceConfirmation.day)
                                                       .where(AbsenceConfirmation.employee_id.in_(chunk),
                                                              AbsenceConfirmation.day.between(start, end))):
                self.absences[employee_id].add(day)

    def shift(self, chain: list[int], day: date, employee_id: int | None = None) -> A.Shift:
        """The unit's schedule, the employee's own if any, then the day's overrides."""
        shift = A.DEFAULT_SHIFT
        for target in [("unit", unit_id) for unit_id in chain] + [("employee", employee_id)]:
            for valid_from, valid_to, candidate in self.assignments.get(target, []):
                if valid_from <= day and (valid_to is None or day <= valid_to):
                    shift = candidate
        for unit_id in [None, *chain]:
            override = self.overrides.get((day, unit_id))
            if override is not None:
                shift = A.Shift(override.start or shift.start, override.end or shift.end,
                                shift.lunch_start, shift.lunch_end)
        return shift

    def calendar(self, employee: Employee, chain: list[int]) -> list[CalendarDay]:
        """Each day of the range: (day, weekend, holiday name, shift, plain record). All follow the
        unit, so they are worked out once per unit, not per employee-day (a schedule of one's own
        is the exception). The plain record is the day of someone in service with nothing of
        their own that day (no check-in, leave, exemption or confirmed absence): derive_day is
        pure and its records immutable, so everyone in the unit shares it."""
        own = ("employee", employee.id) in self.assignments
        key = ("employee", employee.id) if own else ("unit", employee.unit_id)
        if key not in self.calendars:
            declared = declared_along(self.declared, chain)
            days = []
            for day, weekend in zip(self.dates, self.weekends):
                name = holiday_name(day, declared)
                shift = self.shift(chain, day, employee.id if own else None)
                plain = A.derive_day(A.DayFacts(day=day, employed=True, holiday_name=name, weekend=weekend,
                                                shift=shift))
                days.append((day, weekend, name, shift, plain))
            self.calendars[key] = days
        return self.calendars[key]

    def leave_spans(self, employee: Employee) -> list[LeaveSpan]:
        return [LeaveSpan(leave.leave_type, leave.start_date, leave.end_date)
                for leave in self.leaves.get(employee.id, [])]

    def days(self, employee: Employee, events: dict[date, tuple]) -> list[A.DayRecord]:
        hired, ended = employee.hired_on, employee.employment_ended_on  # in service: hired <= day <= ended
        leave_by_day = {}
        for leave in self.leaves.get(employee.id, []):
            for day in dates_between(max(leave.start_date, self.start), min(leave.end_date, self.end)):
                leave_by_day[day] = leave
        exempt_days = {day for exemption in self.exemptions.get(employee.id, []) for day in
                       dates_between(max(exemption.start_date, self.start), min(exemption.end_date, self.end))}
        absent_days = self.absences.get(employee.id, set())
        records = []
        for day, weekend, holiday, shift, plain in self.calendar(employee, self.units.chain(employee.unit_id)):
            employed = (hired is None or day >= hired) and (ended is None or day <= ended)
            leave = leave_by_day.get(day)
            if employed and not (leave or day in events or day in exempt_days or day in absent_days):
                records.append(plain)
                continue
            first_in, last_out, pending = events.get(day, NO_EVENTS)
            records.append(A.derive_day(A.DayFacts(
                day=day, employed=employed, holiday_name=holiday, weekend=weekend, shift=shift,
                leave_type=leave.leave_type if leave else None,
                leave_portion=(leave.half_day or "full") if leave else None, leave_id=leave.id if leave else None,
                exempt=day in exempt_days, confirmed_absent=day in absent_days,
                first_in=first_in, last_out=last_out, pending_reviews=pending)))
        return records


def employee_days(employees: list[Employee], start: date, end: date,
                  facts: Facts | None = None) -> Iterator[tuple[Employee, list[A.DayRecord]]]:
    """Every employee's daily records for the range, one employee at a time, in the order given.
    Check-ins are read for EMPLOYEES_PER_QUERY employees at a time: memory stays bounded, any order
    works (a report lists people in the order of the org tree, not of their ids), and each query
    reads only its employees' part of the (employee_id, received_at, status, kind) index instead
    of sorting a whole round's check-ins."""
    facts = facts or Facts(employees, start, end)
    for chunk in batches(employees, EMPLOYEES_PER_QUERY):
        events = _event_days([employee.id for employee in chunk], start, end)
        for employee in chunk:
            yield employee, facts.days(employee, events.get(employee.id, {}))
