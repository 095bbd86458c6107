"""The salary-step report for 10,000 employees over one round (~2.3 million check-ins), on
SQLite and PostgreSQL: seconds (SQL and Python apart), XLSX seconds and peak memory, each
against a baseline measured in the same run. Target: the report <= 30 s on both.

    .venv/bin/python bench/report.py [--employees 10000] [--reuse] [--baseline COMMIT | --no-baseline] [--repeat N]
        [--sqlite /tmp/etk_bench_report.db] [--postgres postgresql://postgres@127.0.0.1/etk_bench]
        [--skip-postgres]

Data is generated once per database (bench/report_data.py); --reuse keeps a database that
already holds it (generation takes minutes, a measurement seconds). The PostgreSQL database
named in --postgres is created if missing.

Each measurement runs in a fresh process, so its peak RSS is the report's own (then the
XLSX's). "SQL" is the time spent reading check-ins (query, fetch, rows made Python: the
aggregation's stream in the old code, its per-batch calls now); "Python" is the rest of the
report. The baseline is the code at a commit (BASELINE: the order fix c17832f, the last commit
before the speed work; --baseline 74e5064 for the code before that fix, which lost the
check-ins of people listed out of id order), extracted with `git archive` and run on the same
database; the bench says whether both made the same report (rows, details and unit totals).
On a shared machine, --repeat N measures each N times in turns and keeps the fastest of each.

Figures (2026-12-06, 2 cores shared with other test runs, --repeat 2): 74e5064 -> now, SQLite
29.1 -> 16.4 s, PostgreSQL 26.9 -> 17.9 s; peak RSS 540 -> 265 MB (1.5 GB -> 353 MB with the
XLSX, whose detail sheet held ~1.1 M days 74e5064 wrongly found without check-ins). The 72-80 s
once measured came from data stored employee by employee (not as check-ins arrive), where
SQLite's plan for the old single query read the table in time order and sorted it (79.9 s:
SQL 37.6 + Python 42.3).
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from settings import use_bench_settings  # noqa: E402

FISCAL_YEAR, ROUND = 2568, 2
BASELINE = "c17832f89ec2434a3540a2fcf95e5e07a7091014"  # the order fix, before the speed work of issue 17 item 11
TARGET_S = 30


def _timed(function, spent: dict):
    """`function`, adding the time spent in it to spent["s"]: in the call and, when it returns a
    generator (the baseline streams one for the whole report), in each of its next()."""
    def timed(*args):
        started = time.perf_counter()
        result = function(*args)
        spent["s"] += time.perf_counter() - started
        return _timed_stream(result, spent) if inspect.isgenerator(result) else result
    return timed


def _timed_stream(stream, spent: dict):
    while True:
        started = time.perf_counter()
        item = next(stream, None)
        spent["s"] += time.perf_counter() - started
        if item is None:
            return
        yield item


def measure(url: str, out: str) -> None:
    """In a fresh process: build the report and its XLSX; print figures as JSON."""
    from checkin import create_app
    from checkin.reports import facts, service

    sql = {"s": 0.0}
    facts._event_days = _timed(facts._event_days, sql)
    app = create_app({"DATABASE_URL": url, "STORAGE_DIR": tempfile.gettempdir()})
    with app.app_context():
        start = time.perf_counter()
        report = service.salary_step_report(None, FISCAL_YEAR, ROUND, None)
        built = time.perf_counter()
        report_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        data = service.salary_step_file(report, "xlsx")  # whichever module writes it at that commit
        exported = time.perf_counter()
    Path(out).write_bytes(data)
    statuses = {}
    for row in report["employees"]:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    same = json.dumps([report["employees"], report["details"], report["units"]], default=str, sort_keys=True)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"employees": len(report["employees"]), "details": len(report["details"]),
                      "report_s": built - start, "sql_s": sql["s"], "xlsx_s": exported - built,
                      "report_rss_mb": report_rss, "peak_rss_mb": peak_rss, "xlsx_mb": len(data) / 1e6,
                      "statuses": statuses,
                      "digest": hashlib.sha256(same.encode()).hexdigest()[:16]}))


def measured(url: str, code: Path) -> dict:
    """The figures of one measurement, run with the `checkin` package found in `code`."""
    env = {**os.environ, "BENCH_CODE": str(code)}
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
        result = subprocess.run([sys.executable, __file__, "--measure", url, out.name], capture_output=True,
                                text=True, env=env)
    if result.returncode:
        sys.exit(f"measurement failed ({code}):\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def baseline_code(commit: str, folder: str) -> Path:
    """The app as it was at `commit`, in `folder`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "checkin", "geofences"], capture_output=True)
    if archive.returncode:
        sys.exit(f"no baseline: git archive {commit} failed (a clone with its history is needed; or --no-baseline)\n"
                 f"{archive.stderr.decode()}")
    subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
    return Path(folder)


def line(name: str, figures: dict, before: dict | None) -> str:
    python_s = figures["report_s"] - figures["sql_s"]
    text = (f"  {name:9s} report {figures['report_s']:5.1f} s (SQL {figures['sql_s']:4.1f} + Python {python_s:4.1f})"
            f"  XLSX {figures['xlsx_s']:5.1f} s  peak RSS {figures['report_rss_mb']:4.0f} MB report, "
            f"{figures['peak_rss_mb']:4.0f} MB with XLSX")
    if before:
        text += (f"\n  {'':9s} speed-up (baseline s / now s): report {before['report_s'] / figures['report_s']:.1f},"
                 f" SQL {before['sql_s'] / figures['sql_s']:.1f}; report RSS now / baseline"
                 f" {figures['report_rss_mb'] / before['report_rss_mb']:.2f}")
    return text


def faster(best: dict | None, figures: dict) -> dict:
    return figures if best is None or figures["report_s"] < best["report_s"] else best


def run(label: str, url: str, employees: int, reuse: bool, baseline: Path | None, repeat: int) -> None:
    from report_data import prepare

    start = time.perf_counter()
    rows, reused = prepare(url, employees, reuse)
    generated = "reused" if reused else f"generated in {time.perf_counter() - start:.0f} s"
    print(f"{label}: {rows:,} check-ins ({generated}), {employees:,} employees")
    before = now = None
    for _ in range(repeat):  # taking turns, so a busy spell on the machine hits both alike
        before = faster(before, measured(url, baseline)) if baseline else None
        now = faster(now, measured(url, ROOT))
    if before:
        print(line("baseline", before, None))
    print(line("now", now, before))
    met = "met" if now["report_s"] <= TARGET_S else "NOT met"
    print(f"  target report <= {TARGET_S} s: {met}; statuses {now['statuses']}; {now['details']:,} detail rows")
    if before:
        print(f"  same report as the baseline: {'yes' if before['digest'] == now['digest'] else 'NO'}")


def main() -> None:
    use_bench_settings("report-bench-secret-0123456789abcdef0123")
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        sys.path.insert(0, os.environ.get("BENCH_CODE", str(ROOT)))
        measure(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="keep a database that already holds the data")
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with (default: %(default).7s)")
    parser.add_argument("--no-baseline", action="store_true", help="measure the current code only")
    parser.add_argument("--repeat", type=int, default=1, help="measure each N times, keep the fastest")
    parser.add_argument("--sqlite", default=str(Path(tempfile.gettempdir()) / "etk_bench_report.db"))
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/etk_bench")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        baseline = None if args.no_baseline else baseline_code(args.baseline, folder)
        run("SQLite", f"sqlite:///{args.sqlite}", args.employees, args.reuse, baseline, args.repeat)
        if not args.skip_postgres:
            run("PostgreSQL", args.postgres, args.employees, args.reuse, baseline, args.repeat)


if __name__ == "__main__":
    main()
