"""Leave records: one at a time or a CSV file. Services flush; the caller commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..accounts.models import User
from ..audit import service as audit
from ..database import db, get_or_404
from ..errors import Conflict, InvalidInput
from ..org.models import Employee
from ..org.scope import refuse_own_record, require_visible, visible_to
from ..timezones import EARLIEST_DAY, LATEST_DAY
from .csv_files import CsvRejected, csv_rows, employee_by_code
from .leave_types import LEAVE_TYPES
from .models import Leave


def list_leaves(viewer: User, filters: dict) -> list[Leave]:
    """Leave records the viewer may see, by start date; of one employee when asked."""
    statement = (select(Leave).join(Employee, Employee.id == Leave.employee_id)
                 .where(visible_to(viewer, Leave.employee_id, Employee.unit_id)).order_by(Leave.start_date))
    if "employee_id" in filters:
        employee = get_or_404(Employee, filters["employee_id"], "Employee")
        require_visible(viewer, employee)
        statement = statement.where(Leave.employee_id == employee.id)
    if "from_" in filters:
        statement = statement.where(Leave.end_date >= filters["from_"])
    if "to" in filters:
        statement = statement.where(Leave.start_date <= filters["to"])
    return list(db.session.scalars(statement))


def create_leave(employee: Employee, leave_type: str, start: date, end: date, half_day: str | None,
                 by: User | None, source: str = "api") -> Leave:
    refuse_own_record(by, employee, "leave")
    problem = _leave_problem(leave_type, start, end, half_day)
    if problem:
        raise InvalidInput(problem, reason="LEAVE_INVALID")
    _refuse_overlap(employee, start, end, half_day)
    leave = Leave(employee_id=employee.id, leave_type=leave_type, start_date=start, end_date=end,
                  half_day=half_day, source=source, created_by_id=audit.actor_id(by))
    db.session.add(leave)
    db.session.flush()
    audit.record("leave.created", "leave", leave.id, actor_id=audit.actor_id(by), after=_facts(leave))
    return leave


def _facts(leave: Leave) -> dict:
    return {"employee_id": leave.employee_id, "leave_type": leave.leave_type, "start_date": leave.start_date,
            "end_date": leave.end_date, "half_day": leave.half_day, "source": leave.source}


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


def import_leaves(data: bytes, by: User | None) -> int:
    """CSV: employee_code,leave_type,start_date,end_date,half_day. Returns leaves created."""
    rows = csv_rows(data, ["employee_code", "leave_type", "start_date", "end_date", "half_day"])
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
        else:
            refuse_own_record(by, employee, f"leave (line {line})")
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
        create_leave(employee, leave_type, start, end, half_day, by, source="csv")
    return len(parsed)
