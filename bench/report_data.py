"""The salary-step bench's data: 50 units, N employees and one round of check-ins (FY 2568
round 2, ~235 per employee), generated once per database and reused when asked."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, text

from checkin.config import normalise_database_url
from checkin.migrations import upgrade_to_head
from checkin.timekeeping.calendar import holiday_name, is_weekend
from databases import fresh_postgres

BANGKOK = timezone(timedelta(hours=7))
START, END = date(2025, 4, 1), date(2025, 9, 30)
COLUMNS = "client_event_id, employee_id, kind, status, method, reasons, accuracy_confidence, captured_at, received_at"


def prepare(url: str, employees: int, reuse: bool) -> tuple[int, bool]:
    """(check-ins in the database, whether they were reused). With `reuse`, a database that
    already holds this many employees and their check-ins is only migrated to head (a new
    index lands on old data); otherwise it is emptied and generated again."""
    url = normalise_database_url(url)
    if reuse:
        held = held_checkins(url, employees)
        if held:
            upgrade_to_head(url)
            return held, True
    if url.startswith("postgresql"):
        fresh_postgres(url)
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        upgrade_to_head(url)
    return generate(url, employees), False


def held_checkins(url: str, employees: int) -> int:
    """The check-ins a database holds when it has exactly `employees` employees; else 0."""
    if url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists():
        return 0
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if connection.scalar(text("SELECT count(*) FROM employees")) != employees:
                return 0
            return connection.scalar(text("SELECT count(*) FROM checkins"))
    except Exception:  # no database, no tables: nothing to reuse
        return 0
    finally:
        engine.dispose()


def checkin_rows(employees: int):
    """Day by day, everyone's check-ins of the day: the order they arrive in, so the table is laid
    out as in production (a report reading one employee's round finds it spread over the whole
    table). In about 08:00-08:31 (late about 3 %), out 16:25-16:59; 0.3 % of days without any
    check-in (absence candidates), 1 % with a flagged arrival (pending review)."""
    rng = random.Random(2568)
    days = [START + timedelta(days=n) for n in range((END - START).days + 1)]
    for day in [day for day in days if not is_weekend(day) and holiday_name(day, {}) is None]:
        ins, outs = [], []
        for employee_id in range(1, employees + 1):
            if rng.random() < 0.003:
                continue
            arrive = datetime.combine(day, datetime.min.time(), BANGKOK) + timedelta(
                hours=8, minutes=rng.randint(0, 31), seconds=rng.randint(0, 59))
            leave = arrive.replace(hour=16, minute=rng.randint(25, 59))
            status = "flagged" if rng.random() < 0.01 else "accepted"
            ins.append(_row(rng, employee_id, "in", status, arrive))
            outs.append(_row(rng, employee_id, "out", "accepted", leave))
        yield from sorted(ins, key=lambda row: row[8])
        yield from sorted(outs, key=lambda row: row[8])


def _row(rng: random.Random, employee_id: int, kind: str, status: str, moment: datetime) -> tuple:
    at = moment.astimezone(timezone.utc)
    return (str(uuid.UUID(int=rng.getrandbits(128))), employee_id, kind, status,
            "gps" if status == "accepted" else None, "[]", 68, at, at)


def generate(url: str, employees: int) -> int:
    """Units, employees and check-ins by bulk insert (COPY on PostgreSQL). Returns check-ins."""
    now = datetime.now(timezone.utc).isoformat()
    units = [(n, f"U{n:03d}", f"สำนักงานเขตทดสอบ {n}", None) for n in range(1, 51)]
    people = [(n, f"E{n:06d}", "ทดสอบ", f"นามสกุล{n}", 1 + n % 50, True, now, "2020-01-01")
              for n in range(1, employees + 1)]
    insert_employees = ("INSERT INTO employees (id, code, first_name_th, last_name_th, unit_id, active, created_at, "
                        "hired_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    engine = create_engine(url)
    count = 0
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO org_units (id, code, name_th, parent_id, created_at) VALUES "
                                   + ", ".join(f"({u[0]}, '{u[1]}', '{u[2]}', NULL, '{now}')" for u in units))
        if url.startswith("postgresql"):
            with connection.connection.dbapi_connection.cursor() as cursor:
                cursor.executemany(insert_employees.replace("?", "%s"), people)
                with cursor.copy(f"COPY checkins ({COLUMNS}) FROM STDIN") as copy:
                    for row in checkin_rows(employees):
                        copy.write_row(row)
                        count += 1
        else:
            connection.exec_driver_sql(insert_employees, people)
            count = _insert_sqlite(connection, checkin_rows(employees))
    if url.startswith("postgresql"):  # as autovacuum would soon after: statistics, and pages marked all-visible
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE checkins")
    engine.dispose()
    return count


def _insert_sqlite(connection, rows) -> int:
    """In batches of 50,000; times as the app stores them on SQLite (naive UTC text)."""
    statement = f"INSERT INTO checkins ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    batch, count = [], 0
    for row in rows:
        batch.append(row[:7] + (row[7].replace(tzinfo=None).isoformat(sep=" "),
                                row[8].replace(tzinfo=None).isoformat(sep=" ")))
        if len(batch) == 50_000:
            connection.exec_driver_sql(statement, batch)
            count, batch = count + len(batch), []
    if batch:
        connection.exec_driver_sql(statement, batch)
    return count + len(batch)
