"""The salary-step report for 10,000 employees over one round (~2.4 million check-ins), on
SQLite and PostgreSQL: time and peak memory. Targets: < 60 s and < 1 GB.

    .venv/bin/python bench/report.py [--employees 10000] [--postgres postgresql://postgres@127.0.0.1/etk_bench]

Data is generated once per database (bulk insert; COPY on PostgreSQL), then the report is built
and exported to XLSX in a fresh process, so its peak RSS is the report's own. The check-in
aggregation runs in SQL (first arrival, last departure, undecided flags per employee and day)
and is streamed employee by employee. The PostgreSQL database named in --postgres is created
if missing and its tables replaced.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from settings import use_bench_settings  # noqa: E402

FISCAL_YEAR, ROUND = 2568, 2
BANGKOK = timezone(timedelta(hours=7))


def build_database(url: str, employees: int) -> int:
    """Schema by the migrations, then units, employees and a round of check-ins. Returns rows."""
    from databases import fresh_postgres
    from sqlalchemy import create_engine

    from checkin.config import normalise_database_url
    from checkin.migrations import upgrade_to_head
    from checkin.timekeeping.calendar import holiday_name, is_weekend

    url = normalise_database_url(url)
    if url.startswith("postgresql"):
        fresh_postgres(url)
    else:
        upgrade_to_head(url)

    rng = random.Random(2568)
    start, end = date(2025, 4, 1), date(2025, 9, 30)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    working = [day for day in days if not is_weekend(day) and holiday_name(day, {}) is None]
    now = datetime.now(timezone.utc).isoformat()
    units = [(n, f"U{n:03d}", f"สำนักงานเขตทดสอบ {n}", None) for n in range(1, 51)]
    people = [(n, f"E{n:06d}", "ทดสอบ", f"นามสกุล{n}", 1 + n % 50, True, now, "2020-01-01") for n in range(1, employees + 1)]

    def checkins():
        for employee_id in range(1, employees + 1):
            for day in working:
                if rng.random() < 0.003:  # a day without any check-in: an absence candidate
                    continue
                arrive = datetime.combine(day, datetime.min.time(), BANGKOK) + timedelta(  # late about 3 %
                    hours=8, minutes=rng.randint(0, 31), seconds=rng.randint(0, 59))
                leave = arrive.replace(hour=16, minute=rng.randint(25, 59))
                flagged = rng.random() < 0.01
                for kind, moment in (("in", arrive), ("out", leave)):
                    status = "flagged" if flagged and kind == "in" else "accepted"
                    at = moment.astimezone(timezone.utc)
                    yield (str(uuid.UUID(int=rng.getrandbits(128))), employee_id, kind, status,
                           "gps" if status == "accepted" else None, "[]", 68, at, at)

    engine = create_engine(url)
    columns = "client_event_id, employee_id, kind, status, method, reasons, accuracy_confidence, captured_at, received_at"
    count = 0
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO org_units (id, code, name_th, parent_id, created_at) VALUES "
                                   + ", ".join(f"({u[0]}, '{u[1]}', '{u[2]}', NULL, '{now}')" for u in units))
        insert_employees = ("INSERT INTO employees (id, code, first_name_th, last_name_th, unit_id, active, created_at, "
                            "hired_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        if url.startswith("postgresql"):
            raw = connection.connection.dbapi_connection
            with raw.cursor() as cursor:
                cursor.executemany(insert_employees.replace("?", "%s"), people)
                with cursor.copy(f"COPY checkins ({columns}) FROM STDIN") as copy:
                    for row in checkins():
                        copy.write_row(row)
                        count += 1
        else:
            connection.exec_driver_sql(insert_employees, people)
            batch = []
            statement = f"INSERT INTO checkins ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            for row in checkins():
                batch.append(row[:7] + (row[7].replace(tzinfo=None).isoformat(sep=" "),
                                        row[8].replace(tzinfo=None).isoformat(sep=" ")))
                if len(batch) == 50_000:
                    connection.exec_driver_sql(statement, batch)
                    count += len(batch)
                    batch = []
            connection.exec_driver_sql(statement, batch)
            count += len(batch)
    if url.startswith("postgresql"):
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE checkins")
    engine.dispose()
    return count


def measure(url: str, out: str) -> None:
    """In a fresh process: build the report and its XLSX; print figures as JSON."""
    from checkin import create_app
    from checkin.reports import exports, service

    app = create_app({"DATABASE_URL": url, "STORAGE_DIR": tempfile.gettempdir()})
    with app.app_context():
        start = time.perf_counter()
        report = service.salary_step_report(None, FISCAL_YEAR, ROUND, None)
        built = time.perf_counter()
        data = exports.salary_step_xlsx(report)
        exported = time.perf_counter()
    Path(out).write_bytes(data)
    statuses = {}
    for row in report["employees"]:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    print(json.dumps({"employees": len(report["employees"]), "report_s": built - start,
                      "xlsx_s": exported - built, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "xlsx_mb": len(data) / 1e6, "statuses": statuses}))


def run(label: str, url: str, employees: int) -> None:
    start = time.perf_counter()
    rows = build_database(url, employees)
    generated = time.perf_counter() - start
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
        result = subprocess.run([sys.executable, __file__, "--measure", url, out.name], capture_output=True,
                                text=True, check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    total = figures["report_s"] + figures["xlsx_s"]
    print(f"{label:10s} {rows:,} check-ins (generated in {generated:.0f} s) -> {figures['employees']:,} employees: "
          f"report {figures['report_s']:.1f} s + XLSX {figures['xlsx_s']:.1f} s = {total:.1f} s, "
          f"peak RSS {figures['peak_rss_mb']:.0f} MB, XLSX {figures['xlsx_mb']:.1f} MB   "
          f"(targets < 60 s: {'met' if total < 60 else 'NOT met'}; < 1 GB: "
          f"{'met' if figures['peak_rss_mb'] < 1024 else 'NOT met'})")
    print(f"{'':10s} statuses: {figures['statuses']}")


def main() -> None:
    use_bench_settings("report-bench-secret-0123456789abcdef0123")
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/etk_bench")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.db", args.employees)
    if not args.skip_postgres:
        run("PostgreSQL", args.postgres, args.employees)


if __name__ == "__main__":
    main()
