"""Punches from the old time clocks, imported as accepted check-ins. Services flush; the caller commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..accounts.models import User
from ..audit import service as audit
from ..checkins.models import CheckIn
from ..database import db
from ..timezones import EARLIEST_DAY, LATEST_DAY
from ..org.scope import refuse_own_record
from .csv_files import CsvRejected, csv_rows, employee_by_code

PUNCH_NAMESPACE = uuid.UUID("6f1c3a52-9a0e-4c55-8b1e-5d0c2f7a1e90")


def import_key(employee_code: str, at: datetime, kind: str, device_id: str) -> str:
    """The identity of a punch: the same row of the same clock file gives the same key (keys of
    punches imported before they had a column of their own were made the same way)."""
    return str(uuid.uuid5(PUNCH_NAMESPACE, f"{employee_code}|{at.isoformat()}|{kind}|{device_id}"))


@dataclass(frozen=True)
class PunchImport:
    created: int
    already_present: int


def import_punches(data: bytes, by: User | None) -> PunchImport:
    """CSV: employee_code,timestamp,kind,device_id. Stored as accepted check-ins with method
    `import`. Each punch has an import key derived from its row, matched per employee, so importing
    a file again adds nothing; it lives apart from the phones' client_event_ids (an imported row
    gets a random one), so no phone can claim a punch's identity before it is imported."""
    rows = csv_rows(data, ["employee_code", "timestamp", "kind", "device_id"])
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
            continue
        refuse_own_record(by, employee, f"time-clock punches (line {line})")
        if at is None or at.tzinfo is None:
            problems.append(f"line {line}: timestamp must be ISO 8601 with an offset, e.g. 2025-04-01T08:25:00+07:00")
        elif not EARLIEST_DAY <= at.date() <= LATEST_DAY:  # stored in UTC: year 1 or 9999 overflows (a 500)
            problems.append(f"line {line}: timestamp must be between {EARLIEST_DAY} and {LATEST_DAY}")
        elif kind not in ("in", "out"):
            problems.append(f"line {line}: kind must be in or out")
        else:
            punches.append((import_key(employee.code, at, kind, row["device_id"].strip()), employee, at, kind,
                            row["device_id"].strip()))
    if problems:
        raise CsvRejected(problems)
    known = {(employee_id, key) for employee_id, key in db.session.execute(
        select(CheckIn.employee_id, CheckIn.import_key).where(CheckIn.import_key.in_({punch[0] for punch in punches})))}
    created = 0
    for key, employee, at, kind, device_id in punches:
        if (employee.id, key) in known:
            continue
        known.add((employee.id, key))
        checkin = CheckIn(client_event_id=str(uuid.uuid4()), import_key=key, employee_id=employee.id, kind=kind,
                          status="accepted", method="import", reasons=["IMPORTED"], captured_at=at, received_at=at,
                          device_id=device_id or None, accuracy_confidence=68)
        db.session.add(checkin)
        db.session.flush()
        audit.record("checkin.imported", "checkin", checkin.id, actor_id=audit.actor_id(by),
                     after={"kind": kind, "at": at.isoformat(), "device_id": device_id})
        created += 1
    return PunchImport(created, len(punches) - created)
