"""Punches from the time clocks, imported as accepted check-ins. Services flush; the caller commits."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from ..accounts.models import User
from ..audit import service as audit
from ..checkins.models import CheckIn
from ..database import batches, db
from ..errors import InvalidInput
from ..org.models import Employee
from ..org.scope import refuse_own_record
from ..timezones import BANGKOK
from .clock_files import CSV_WITH_KIND, ClockFile, ClockFileUnreadable, ClockRow, LineProblem, read_clock_file
from .clock_times import shown
from .csv_files import CsvRejected, refuse_too_large
from .first_and_last import bangkok_day, first_and_last

PUNCH_NAMESPACE = uuid.UUID("6f1c3a52-9a0e-4c55-8b1e-5d0c2f7a1e90")
# Values per IN (...) query: SQLite refuses more than 32,766 bound values in one statement.
BATCH = 1000


def import_key(employee_code: str, at: datetime, kind: str, device_id: str) -> str:
    """The identity of a punch: the same row of the same clock file gives the same key (keys of
    punches imported before they had a column of their own were made the same way)."""
    return str(uuid.uuid5(PUNCH_NAMESPACE, f"{employee_code}|{at.isoformat()}|{kind}|{device_id}"))


@dataclass(frozen=True)
class PunchImport:
    created: int
    already_present: int
    ignored: int  # between a day's first and last punch, in a file that does not say in or out
    format: str  # clock_files: CSV_WITH_KIND, CSV_WITHOUT_KIND or ZKTECO_ATTLOG


def import_punches(data: bytes, by: User | None) -> PunchImport:
    """A clock file (clock_files.py: CSV with or without in/out, or ZKTeco's attlog), stored as
    accepted check-ins with method `import`. Each punch has an import key derived from its row,
    matched per employee, so importing a file again adds nothing; it lives apart from the phones'
    client_event_ids (an imported row gets a random one), so no phone can claim a punch's identity
    before it is imported. All or nothing: any bad line and nothing is stored."""
    clock_file = _read(data)
    employees = _employees_by_code({row.employee_code for row in clock_file.rows})
    _refuse_bad_lines(clock_file, employees, by)
    rows = clock_file.rows
    before = _imported_before({employee.id for employee in employees.values()}, rows)
    kinds = [row.kind for row in rows] if clock_file.format == CSV_WITH_KIND else _first_and_last(
        rows, employees, before)
    new: dict[tuple[int, str], dict] = {}  # in file order; a row repeated in the file is stored once
    for row, kind in zip(rows, kinds):
        if kind is None:
            continue
        identity = (employees[row.employee_code].id, import_key(row.employee_code, row.at, kind, row.device_id))
        if identity not in before and identity not in new:
            new[identity] = {"kind": kind, "at": row.at, "device_id": row.device_id}
    _store(new, by)
    kept = sum(kind is not None for kind in kinds)
    return PunchImport(len(new), kept - len(new), len(rows) - kept, clock_file.format)


def _read(data: bytes) -> ClockFile:
    refuse_too_large(data)
    try:
        return read_clock_file(data)
    except ClockFileUnreadable as error:
        raise InvalidInput("The file cannot be read as a clock file; nothing was imported.",
                           errors={"file": [error.english], "file_th": [error.thai]}, reason="CSV_INVALID") from None


def _refuse_bad_lines(clock_file: ClockFile, employees: dict[str, Employee], by: User | None) -> None:
    problems = list(clock_file.problems)
    for row in clock_file.rows:
        employee = employees.get(row.employee_code)
        if employee is None:
            problems.append(LineProblem(row.line, f"no employee with code {shown(row.employee_code)!r}",
                                        f"ไม่พบพนักงานรหัส '{shown(row.employee_code)}'"))
        else:
            refuse_own_record(by, employee, f"time-clock punches (line {row.line})")
    if problems:
        english, thai = zip(*(problem.texts() for problem in problems))
        raise CsvRejected(list(english), list(thai))


def _first_and_last(rows: list[ClockRow], employees: dict[str, Employee],
                    before: dict[tuple[int, str], datetime]) -> list[str | None]:
    earlier: dict[tuple[int, date], list[datetime]] = defaultdict(list)
    for (employee_id, _key), at in before.items():
        earlier[(employee_id, bangkok_day(at))].append(at)
    return first_and_last([(employees[row.employee_code].id, row.at) for row in rows], earlier)


def _imported_before(employee_ids: set[int], rows: list[ClockRow]) -> dict[tuple[int, str], datetime]:
    """The punches of these employees imported before, over the days of the file: (employee id,
    import key) -> time. Looked up by employee and time, the index a check-in has (a key alone has
    none), in batches."""
    if not rows:
        return {}
    start = datetime.combine(bangkok_day(min(row.at for row in rows)), time(), BANGKOK)
    end = datetime.combine(bangkok_day(max(row.at for row in rows)) + timedelta(days=1), time(), BANGKOK)
    found = {}
    for batch in batches(sorted(employee_ids), BATCH):
        for employee_id, key, at in db.session.execute(
                select(CheckIn.employee_id, CheckIn.import_key, CheckIn.received_at).where(
                    CheckIn.method == "import", CheckIn.import_key.is_not(None), CheckIn.employee_id.in_(batch),
                    CheckIn.received_at >= start, CheckIn.received_at < end)):
            found[(employee_id, key)] = at
    return found


def _employees_by_code(codes: set[str]) -> dict[str, Employee]:
    found = {}
    for batch in batches(sorted(codes), BATCH):
        found.update({employee.code: employee for employee in db.session.scalars(
            select(Employee).where(Employee.code.in_(batch)))})
    return found


def _store(new: dict[tuple[int, str], dict], by: User | None) -> None:
    """Accepted check-ins with method `import`, and an audit record for each, in bulk: a 5 MB clock
    log holds about 120,000 punches, and the ORM's flush of one row after another took minutes."""
    if not new:
        return
    # No RETURNING: with it, psycopg re-parses every statement of a thousand rows (slower on
    # PostgreSQL than its pipelined executemany); the ids are read back by the unique index.
    db.session.execute(insert(CheckIn), [
        {"client_event_id": str(uuid.uuid4()), "import_key": key, "employee_id": employee_id, "kind": punch["kind"],
         "status": "accepted", "method": "import", "reasons": ["IMPORTED"], "captured_at": punch["at"],
         "received_at": punch["at"], "device_id": punch["device_id"] or None, "accuracy_confidence": 68}
        for (employee_id, key), punch in new.items()])
    ids = {}
    for batch in batches(sorted(new), BATCH):
        ids.update(((employee_id, key), checkin_id) for checkin_id, employee_id, key in db.session.execute(
            select(CheckIn.id, CheckIn.employee_id, CheckIn.import_key).where(
                CheckIn.employee_id.in_({employee_id for employee_id, _ in batch}),
                CheckIn.import_key.in_({key for _, key in batch}))))
    audit.record_many("checkin.imported", "checkin", [
        (ids[identity], {"kind": punch["kind"], "at": punch["at"].isoformat(), "device_id": punch["device_id"]})
        for identity, punch in new.items()], actor_id=audit.actor_id(by))
