"""`flask check-policy`: every problem of a policy file and status 1, or its policies and status 0."""


from checkin.database import db
from checkin.reports.policy import DEFAULT_POLICY_FILE

TWO_POLICIES = '''policies:
  - version: "2568.1"
    in_force_from: 2024-10-01
    in_force_to: 2025-03-31
    statutory: {{max_counted_leave_days: 23, max_absent_days: 0, min_months_of_service: 4}}
    agency: {{max_leave_occasions: 10, max_late_count: 18, at_risk_fraction: 0.8}}
  - version: "2568.2"
    in_force_from: 2025-04-01
    statutory: {{max_counted_leave_days: 23, max_absent_days: 0, min_months_of_service: 4}}
    agency: {{max_leave_occasions: 10, max_late_count: 18, at_risk_fraction: 0.8}}
    counted_leave_types: [sick, personal, paternity]
    personnel_types: {{employee: {{max_late_count: 12}}}}
    overrides: {{"{code}": {{max_late_count: 6}}}}
'''


def unit_code(app, make) -> str:
    from checkin.org.models import OrgUnit

    unit_id = make.unit()
    with app.app_context():
        return db.session.get(OrgUnit, unit_id).code


def test_a_good_file_prints_each_policy_and_exits_0(runner, app, make, tmp_path):
    code = unit_code(app, make)
    path = tmp_path / "policy.yaml"
    path.write_text(TWO_POLICIES.format(code=code), encoding="utf-8")
    result = runner.invoke(args=["check-policy", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{path}: 2 policies\n"
        "version 2568.1: in force 2024-10-01 to 2025-03-31\n"
        "  counted leave types: sick, personal\n"
        "  limits: max_counted_leave_days 23, max_absent_days 0, min_months_of_service 4, max_leave_occasions 10, "
        "max_late_count 18, at_risk_fraction 0.8\n"
        "  no unit overrides\n"
        "version 2568.2: in force 2025-04-01 to further notice\n"
        "  counted leave types: sick, personal, paternity\n"
        "  limits: max_counted_leave_days 23, max_absent_days 0, min_months_of_service 4, max_leave_occasions 10, "
        "max_late_count 18, at_risk_fraction 0.8\n"
        "  personnel type employee: max_late_count 12\n"
        f"  unit {code}: max_late_count 6\n"
        "OK: every unit code names a unit in the database.\n")


def test_without_file_it_checks_the_apps_file_and_says_when_units_could_not_be_checked(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "POLICY_FILE", None)  # the shipped file
    result = runner.invoke(args=["check-policy"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{DEFAULT_POLICY_FILE.resolve()}: 1 policy\nversion 2568.1: in force "
                                    "2024-10-01 to further notice\n")
    assert result.output.endswith("OK, but unit codes not checked: the database has no units yet (or did not "
                                  "answer).\n")


def test_every_problem_is_printed_and_the_status_is_1(runner, app, make, tmp_path):
    unit_code(app, make)
    path = tmp_path / "policy.yaml"
    broken = (TWO_POLICIES.format(code="NO-SUCH-UNIT").replace("max_absent_days: 0,", "max_absent_days: 2,", 1)
              .replace("in_force_to: 2025-03-31", "in_force_to: 2025-04-01"))
    path.write_text(broken, encoding="utf-8")
    result = runner.invoke(args=["check-policy", "--file", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"policy file {path}: 2 problems:\n"
        "  - policy \"2568.1\", statutory, max_absent_days: 2 loosens the regulation's 0; it may only be tightened\n"
        '  - policy "2568.1": in force to 2025-04-01, overlapping policy "2568.2" in force from 2025-04-01\n')

    # Once the file parses, its unit codes are checked against the database.
    path.write_text(TWO_POLICIES.format(code="NO-SUCH-UNIT"), encoding="utf-8")
    result = runner.invoke(args=["check-policy", "--file", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (f"policy file {path}: 1 problem:\n"
                             '  - policy "2568.2", overrides, NO-SUCH-UNIT: no unit has this code\n')


def test_a_missing_file_is_a_problem_not_a_traceback(runner, tmp_path):
    result = runner.invoke(args=["check-policy", "--file", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"policy file {tmp_path / 'absent.yaml'}: 1 problem:\n  - cannot be read")
