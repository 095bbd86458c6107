"""Leave, imported punches, holidays, schedules, exemptions, absences. Services flush; the
caller commits. CSV imports are all or nothing: one bad line and nothing of the file is kept."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ..accounts.models import User
from ..api import EARLIEST_DAY, LATEST_DAY
from ..audit import service as audit
from ..database import db, get_or_404
from ..errors import Conflict, Forbidden, InvalidInput
from ..models import CheckIn
from ..org.models import Employee, OrgUnit
from ..org.scope import can_see_employee
from .models import (LEAVE_TYPES, AbsenceConfirmation, Exemption, Holiday, Leave, ScheduleAssignment,
                     ScheduleOverride, WorkSchedule)

MAX_CSV_BYTES = 5 * 1024 * 1024
PUNCH_NAMESPACE = uuid.UUID("6f1c3a52-9a0e-4c55-8b1e-5d0c2f7a1e90")


class CsvRejected(InvalidInput):
    """A CSV file with bad lines: every problem, by line number; nothing was imported."""

    def __init__(self, problems: list[str]):
        problems = sorted(problems, key=lambda problem: int(problem.split(":")[0].removeprefix("line ")))
        super().__init__(f"{len(problems)} line(s) of the file are invalid; nothing was imported.",
                         errors={"file": problems}, reason="CSV_INVALID")


def employee_by_code(code: str) -> Employee | None:
    return db.session.scalar(select(Employee).where(Employee.code == code))


# --- leave -------------------------------------------------------------------------------

def create_leave(employee: Employee, leave_type: str, start: date, end: date, half_day: str | None,
                 created_by_id: int | None, source: str = "api") -> Leave:
    problem = _leave_problem(leave_type, start, end, half_day)
    if problem:
        raise InvalidInput(problem, reason="LEAVE_INVALID")
    _refuse_overlap(employee, start, end, half_day)
    leave = Leave(employee_id=employee.id, leave_type=leave_type, start_date=start, end_date=end,
                  half_day=half_day, source=source, created_by_id=created_by_id)
    db.session.add(leave)
    db.session.flush()
    return leave


def _leave_problem(leave_type: str, start: date, end: date, half_day: str | None) -> str | None:
    if leave_type not in LEAVE_TYPES:
        return f"unknown leave_type {leave_type!r}; one of {', '.join(LEAVE_TYPES)}"
    if end < start:
        return "end_date is before start_date"
    if start < EARLIEST_DAY or end > LATEST_DAY:  # as the API's date fields: far from years 1 and 9999
        return f"dates must be between {EARLIEST_DAY} and {LATEST_DAY}"
    if half_day not in (None, "am", "pm"):
        return "half_day must be empty, am or pm"
    if half_day and start != end:
        return "a half-day leave covers one date"
    return None


def _overlap(start: date, end: date, half_day: str | None, other_start: date, other_end: date,
             other_half: str | None) -> bool:
    # A morning and an afternoon half of the same day do not overlap.
    if half_day and other_half and half_day != other_half:
        return False
    return start <= other_end and other_start <= end


def _refuse_overlap(employee: Employee, start: date, end: date, half_day: str | None) -> None:
    for other in db.session.scalars(select(Leave).where(
            Leave.employee_id == employee.id, Leave.start_date <= end, Leave.end_date >= start)):
        if _overlap(start, end, half_day, other.start_date, other.end_date, other.half_day):
            raise Conflict(f"{employee.code} already has {other.leave_type} leave from {other.start_date} to "
                           f"{other.end_date} (id {other.id}).", reason="LEAVE_OVERLAP")


def import_leaves(data: bytes, created_by_id: int | None) -> int:
    """CSV: employee_code,leave_type,start_date,end_date,half_day. Returns leaves created."""
    rows = _csv_rows(data, ["employee_code", "leave_type", "start_date", "end_date", "half_day"])
    problems, parsed = [], []
    for line, row in rows:
        employee = employee_by_code(row["employee_code"].strip())
        try:
            start, end = date.fromisoformat(row["start_date"].strip()), date.fromisoformat(row["end_date"].strip())
        except ValueError:
            problems.append(f"line {line}: dates must be YYYY-MM-DD")
            continue
        half_day = row["half_day"].strip().lower() or None
        problem = _leave_problem(row["leave_type"].strip(), start, end, half_day)
        if employee is None:
            problem = f"no employee with code {row['employee_code']!r}"
        if problem:
            problems.append(f"line {line}: {problem}")
        else:
            parsed.append((line, employee, row["leave_type"].strip(), start, end, half_day))
    for index, (line, employee, _type, start, end, half_day) in enumerate(parsed):
        try:
            _refuse_overlap(employee, start, end, half_day)
        except Conflict as conflict:
            problems.append(f"line {line}: {conflict.message}")
        for earlier_line, earlier, _t, earlier_start, earlier_end, earlier_half in parsed[:index]:
            if earlier.id == employee.id and _overlap(start, end, half_day, earlier_start, earlier_end, earlier_half):
                problems.append(f"line {line}: overlaps line {earlier_line} of this file")
    if problems:
        raise CsvRejected(problems)
    for _line, employee, leave_type, start, end, half_day in parsed:
        create_leave(employee, leave_type, start, end, half_day, created_by_id, source="csv")
    return len(parsed)


def _csv_rows(data: bytes, columns: list[str]) -> list[tuple[int, dict]]:
    if len(data) > MAX_CSV_BYTES:
        raise InvalidInput("The file is larger than 5 MB.", reason="CSV_TOO_LARGE")
    try:
        text = data.decode("utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError:
        raise InvalidInput("The file must be UTF-8 text (CSV).", reason="CSV_INVALID") from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or [name.strip() for name in reader.fieldnames] != columns:
        raise InvalidInput(f"The first line must be the header: {','.join(columns)}", reason="CSV_INVALID")
    rows = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise CsvRejected([f"line {reader.line_num}: expected {len(columns)} columns"])
        rows.append((reader.line_num, {key.strip(): value for key, value in row.items()}))
    return rows


# --- historical punches ------------------------------------------------------------------

@dataclass(frozen=True)
class PunchImport:
    created: int
    already_present: int


def import_punches(data: bytes, imported_by_id: int | None) -> PunchImport:
    """CSV: employee_code,timestamp,kind,device_id. Stored as accepted check-ins with method
    `import`; the id is derived from the row, so importing a file again adds nothing."""
    rows = _csv_rows(data, ["employee_code", "timestamp", "kind", "device_id"])
    problems, punches = [], []
    for line, row in rows:
        employee = employee_by_code(row["employee_code"].strip())
        try:
            at = datetime.fromisoformat(row["timestamp"].strip())
        except ValueError:
            at = None
        kind = row["kind"].strip().lower()
        if employee is None:
            problems.append(f"line {line}: no employee with code {row['employee_code']!r}")
        elif at is None or at.tzinfo is None:
            problems.append(f"line {line}: timestamp must be ISO 8601 with an offset, e.g. 2025-04-01T08:25:00+07:00")
        elif not EARLIEST_DAY <= at.date() <= LATEST_DAY:  # stored in UTC: year 1 or 9999 overflows (a 500)
            problems.append(f"line {line}: timestamp must be between {EARLIEST_DAY} and {LATEST_DAY}")
        elif kind not in ("in", "out"):
            problems.append(f"line {line}: kind must be in or out")
        else:
            key = f"{employee.code}|{at.isoformat()}|{kind}|{row['device_id'].strip()}"
            punches.append((str(uuid.uuid5(PUNCH_NAMESPACE, key)), employee, at, kind, row["device_id"].strip()))
    if problems:
        raise CsvRejected(problems)
    known = set(db.session.scalars(select(CheckIn.client_event_id).where(
        CheckIn.client_event_id.in_([punch[0] for punch in punches]))))
    created = 0
    for event_id, employee, at, kind, device_id in punches:
        if event_id in known:
            continue
        known.add(event_id)
        checkin = CheckIn(client_event_id=event_id, employee_id=employee.id, kind=kind, status="accepted",
                          method="import", reasons=["IMPORTED"], captured_at=at, received_at=at,
                          device_id=device_id or None, accuracy_confidence=68)
        db.session.add(checkin)
        db.session.flush()
        audit.record("checkin.imported", "checkin", checkin.id, actor_id=imported_by_id,
                     after={"kind": kind, "at": at.isoformat(), "device_id": device_id})
        created += 1
    return PunchImport(created, len(punches) - created)


# --- calendar, schedules, exemptions, absences --------------------------------------------

def declare_holiday(day: date, name_th: str, unit_id: int | None) -> Holiday:
    if unit_id is not None:
        get_or_404(OrgUnit, unit_id, "Unit")
    exists = db.session.scalar(select(Holiday.id).where(Holiday.day == day, Holiday.unit_id.is_(None)
                                                       if unit_id is None else Holiday.unit_id == unit_id))
    if exists:
        raise Conflict(f"{day} is already a declared holiday here.", reason="HOLIDAY_EXISTS")
    holiday = Holiday(day=day, name_th=name_th, unit_id=unit_id)
    db.session.add(holiday)
    db.session.flush()
    return holiday


def create_schedule(data: dict) -> WorkSchedule:
    if db.session.scalar(select(WorkSchedule.id).where(WorkSchedule.code == data["code"])):
        raise Conflict(f"A schedule with code {data['code']!r} exists.")
    if not data["start"] < data["lunch_start"] <= data["lunch_end"] < data["end"]:
        raise InvalidInput("Times must be in order: start < lunch_start <= lunch_end < end.", reason="SCHEDULE_INVALID")
    schedule = WorkSchedule(**data)
    db.session.add(schedule)
    db.session.flush()
    return schedule


def assign_schedule(data: dict) -> ScheduleAssignment:
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
    return assignment


def override_day(data: dict) -> ScheduleOverride:
    if data.get("unit_id") is not None:
        get_or_404(OrgUnit, data["unit_id"], "Unit")
    override = ScheduleOverride(**data)
    db.session.add(override)
    db.session.flush()
    return override


def create_exemption(employee: Employee, start: date, end: date, note: str) -> Exemption:
    if end < start:
        raise InvalidInput("end_date is before start_date.", reason="DATES_INVALID")
    exemption = Exemption(employee_id=employee.id, start_date=start, end_date=end, note=note)
    db.session.add(exemption)
    db.session.flush()
    return exemption


def confirm_absence(confirmer: User, employee: Employee, day: date, note: str | None) -> AbsenceConfirmation:
    if confirmer.employee_id == employee.id:
        raise Forbidden("Nobody confirms their own absence.", reason="OWN_RECORD")
    if not can_see_employee(confirmer, employee):
        raise Forbidden("This employee is outside your units.", reason="OUT_OF_SCOPE")
    if db.session.scalar(select(AbsenceConfirmation.id).where(
            AbsenceConfirmation.employee_id == employee.id, AbsenceConfirmation.day == day)):
        raise Conflict(f"The absence of {employee.code} on {day} is already confirmed.", reason="ALREADY_CONFIRMED")
    confirmation = AbsenceConfirmation(employee_id=employee.id, day=day, confirmed_by_id=confirmer.id, note=note)
    db.session.add(confirmation)
    db.session.flush()
    audit.record("absence.confirmed", "employee", employee.id, actor_id=confirmer.id,
                 after={"day": day.isoformat(), "note": note})
    return confirmation
