"""The salary-step policy file in the app: checked when the app is created, unit codes included;
a file given after that is checked when a report first needs it, and a bad one answers in the
one error shape instead of a traceback."""

import logging
from datetime import date

import pytest

from checkin.database import db
from checkin.reports.policy_config import current_policies, policy_in_force
from checkin.reports.rounds import salary_round
from tests.support.api import assert_error
from tests.support.processes import another_process

GOOD = '''policies:
  - version: "{version}"
    in_force_from: 2024-10-01
    statutory: {{max_counted_leave_days: 23, max_absent_days: 0, min_months_of_service: 4}}
    agency: {{max_leave_occasions: 10, max_late_count: 18, at_risk_fraction: 0.8}}
    overrides: {overrides}
'''
LOOSENING = GOOD.replace("max_counted_leave_days: 23", "max_counted_leave_days: 30").replace(
    "at_risk_fraction: 0.8", "at_risk_fraction: 1.5")
TWO_ROUNDS = '''policies:
  - version: "2568.1"
    in_force_from: 2024-10-01
    in_force_to: 2025-03-31
    statutory: {max_counted_leave_days: 23, max_absent_days: 0, min_months_of_service: 4}
    agency: {max_leave_occasions: 10, max_late_count: 18, at_risk_fraction: 0.8}
  - version: "2568.2"
    in_force_from: 2025-04-01
    statutory: {max_counted_leave_days: 23, max_absent_days: 0, min_months_of_service: 4}
    agency: {max_leave_occasions: 10, max_late_count: 12, at_risk_fraction: 0.8}
'''


def write(tmp_path, text: str, name: str = "policy.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def unit_code(app, make) -> str:
    from checkin.org.models import OrgUnit

    unit_id = make.unit()
    with app.app_context():
        return db.session.get(OrgUnit, unit_id).code


def probe(app, **config):
    """Another app like the test app, with one route that asks for a policy as a report does."""
    probe_app = another_process(app, **config)

    @probe_app.get("/probe/<day>")
    def _policy_on(day):
        return {"version": policy_in_force(date.fromisoformat(day)).version}

    return probe_app


# --- at start -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, problems", [
    (LOOSENING.format(version="x", overrides="{}"),
     ['policy "x", statutory, max_counted_leave_days: 30 loosens the regulation\'s 23; it may only be tightened',
      'policy "x", agency, at_risk_fraction: must be more than 0 and at most 1 (got 1.5)']),
    ("policies: [unclosed\n", ["cannot be read: while parsing a flow sequence"]),
    (None, ["cannot be read: [Errno 2] No such file or directory"]),
], ids=["loosening", "not YAML", "missing"])
def test_the_app_refuses_to_start_with_a_bad_file_naming_it_and_every_problem(app, tmp_path, text, problems):
    path = write(tmp_path, text) if text is not None else tmp_path / "absent.yaml"
    with pytest.raises(RuntimeError) as refused:
        another_process(app, POLICY_FILE=str(path))
    message = str(refused.value)
    assert message.startswith(f"Refusing to start: the salary-step policy file {path} cannot be used")
    for problem in problems:
        assert f"  - {problem}" in message


def test_the_shipped_file_passes_with_units_in_the_database(app, make):
    unit_code(app, make)
    started = another_process(app, POLICY_FILE=None)
    with started.app_context():
        assert [policy.version for policy in current_policies().policies] == ["2568.1"]


def test_an_unknown_unit_code_is_refused_at_start(app, make, tmp_path):
    known = unit_code(app, make)
    path = write(tmp_path, GOOD.format(version="x", overrides=f'{{"{known}": {{max_late_count: 6}}, '
                                                               '"NO-SUCH-UNIT": {max_late_count: 6}}'))
    with pytest.raises(RuntimeError) as refused:
        another_process(app, POLICY_FILE=str(path))
    assert 'policy "x", overrides, NO-SUCH-UNIT: no unit has this code' in str(refused.value)
    assert known not in str(refused.value)


def test_a_fresh_install_starts_without_units_and_the_first_report_checks_the_codes(app, make, tmp_path, caplog):
    path = write(tmp_path, GOOD.format(version="x", overrides='{"NO-SUCH-UNIT": {max_late_count: 6}}'))
    with caplog.at_level(logging.WARNING):
        started = probe(app, POLICY_FILE=str(path))  # no unit yet: it must start, to import them
    assert "unit codes of its overrides not checked yet" in caplog.text
    assert started.test_client().get("/probe/2025-09-30").get_json() == {"version": "x"}

    unit_code(app, make)  # the units are imported; the override names none of them
    body = assert_error(started.test_client().get("/probe/2025-09-30"), 500, "POLICY_FILE_INVALID")
    assert body["errors"] == {"policy_file": ['policy "x", overrides, NO-SUCH-UNIT: no unit has this code']}

    path.write_text(GOOD.format(version="corrected", overrides="{}"), encoding="utf-8")  # no restart needed
    assert started.test_client().get("/probe/2025-09-30").get_json() == {"version": "corrected"}


# --- a file given after the app exists (tests, a shell) -------------------------------------------

def test_a_report_with_a_bad_file_answers_a_clear_error_in_the_one_shape(app, tmp_path):
    started = probe(app)
    started.config["POLICY_FILE"] = str(write(tmp_path, LOOSENING.format(version="x", overrides="{}")))
    body = assert_error(started.test_client().get("/probe/2025-09-30"), 500, "POLICY_FILE_INVALID")
    assert body["message"] == ("The salary-step policy file (policy.yaml) cannot be used; an administrator must "
                               "correct it (`flask check-policy` lists the problems).")
    assert str(tmp_path) not in body["message"]  # the server's paths stay in its log
    assert len(body["errors"]["policy_file"]) == 2

    started.config["POLICY_FILE"] = str(write(tmp_path, GOOD.format(version="fixed", overrides="{}"), "fixed.yaml"))
    assert started.test_client().get("/probe/2025-09-30").get_json() == {"version": "fixed"}


def test_a_file_given_later_is_checked_with_its_unit_codes_then_read_once(app, make, tmp_path):
    known = unit_code(app, make)
    started = probe(app)
    unknown = GOOD.format(version="x", overrides='{"NOPE": {max_late_count: 1}}')
    started.config["POLICY_FILE"] = str(write(tmp_path, unknown, "unknown-unit.yaml"))
    body = assert_error(started.test_client().get("/probe/2025-09-30"), 500, "POLICY_FILE_INVALID")
    assert body["errors"] == {"policy_file": ['policy "x", overrides, NOPE: no unit has this code']}

    path = write(tmp_path, GOOD.format(version="v1", overrides=f'{{"{known}": {{max_late_count: 1}}}}'))
    started.config["POLICY_FILE"] = str(path)
    assert started.test_client().get("/probe/2025-09-30").get_json() == {"version": "v1"}
    path.write_text(GOOD.format(version="v2", overrides="{}"), encoding="utf-8")
    # Checked once, kept: an edit takes effect at the next start (after `flask check-policy`).
    assert started.test_client().get("/probe/2025-09-30").get_json() == {"version": "v1"}


# --- which policy a round gets ----------------------------------------------------------------------

def test_a_past_round_gets_the_policy_in_force_at_its_end(app, tmp_path):
    started = probe(app, POLICY_FILE=str(write(tmp_path, TWO_ROUNDS)))
    with started.app_context():
        assert policy_in_force(salary_round(2568, 1).end).version == "2568.1"
        assert policy_in_force(salary_round(2568, 2).end).defaults.max_late_count == 12
    client = started.test_client()
    assert client.get(f"/probe/{salary_round(2568, 1).end}").get_json() == {"version": "2568.1"}
    body = assert_error(client.get(f"/probe/{salary_round(2567, 2).end}"), 422, "NO_POLICY_IN_FORCE")
    assert body["message"] == ("No salary-step policy is in force on 2024-09-30: the policy file has none "
                               "for this round.")
