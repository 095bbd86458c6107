"""Pure logic stays importable without Flask or SQLAlchemy (workers, CLI tools, benchmarks)."""

import subprocess
import sys

PURE = ["geofences.geometry", "geofences.sign_codes", "checkin.checkins.gps_step", "checkin.checkins.rules",
        "checkin.checkins.reasons", "checkin.checkins.statuses",
        "checkin.verification.images", "checkin.verification.image_checks", "checkin.verification.image_errors",
        "checkin.verification.image_metadata", "checkin.verification.image_structure",
        "checkin.verification.faces", "checkin.verification.qr",
        "checkin.verification.evidence", "checkin.verification.replay", "checkin.verification.signals",
        "checkin.reports.attendance", "checkin.reports.salary_step", "checkin.timekeeping.calendar",
        "checkin.timekeeping.absence_days", "checkin.timekeeping.clock_times", "checkin.timekeeping.clock_files",
        "checkin.timekeeping.first_and_last", "checkin.timekeeping.leave_types",
        "checkin.reports.rounds", "checkin.reports.policy", "checkin.reports.policy_schema",
        "checkin.reports.exports", "checkin.reports.salary_step_columns", "checkin.reports.salary_step_workbook",
        "checkin.reports.pdf", "checkin.healthcheck"]


def test_pure_modules_import_neither_flask_nor_sqlalchemy():
    code = (f"import sys, importlib; [importlib.import_module(m) for m in {PURE!r}]; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
