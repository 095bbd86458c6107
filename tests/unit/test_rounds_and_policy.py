"""Salary-step rounds (checkin.reports.rounds) and the limits policy (checkin.reports.policy)."""

from datetime import date

import pytest

from checkin.reports.policy import Limits, PolicyError, load_policy, parse_policy
from checkin.reports.rounds import fiscal_year_of, salary_round, thai_date

# --- rounds ----------------------------------------------------------------------------------------

def test_round_1_runs_from_1_october_to_31_march():
    round_ = salary_round(2568, 1)
    assert (round_.fiscal_year, round_.number, round_.start, round_.end) == (2568, 1, date(2024, 10, 1),
                                                                             date(2025, 3, 31))


def test_round_2_runs_from_1_april_to_30_september():
    round_ = salary_round(2568, 2)
    assert (round_.start, round_.end) == (date(2025, 4, 1), date(2025, 9, 30))


@pytest.mark.parametrize("number", [0, 3, -1])
def test_there_are_only_two_rounds(number):
    with pytest.raises(ValueError):
        salary_round(2568, number)


@pytest.mark.parametrize("day, fiscal_year", [
    (date(2024, 9, 30), 2567), (date(2024, 10, 1), 2568), (date(2025, 3, 31), 2568), (date(2025, 9, 30), 2568),
    (date(2025, 10, 1), 2569),
])
def test_the_fiscal_year_is_named_by_the_buddhist_era_year_it_ends_in(day, fiscal_year):
    assert fiscal_year_of(day) == fiscal_year


def test_thai_dates_use_the_buddhist_era():
    assert thai_date(date(2025, 4, 1)) == "1 เม.ย. 2568"
    assert thai_date(date(2024, 10, 1)) == "1 ต.ค. 2567"


def test_a_round_is_named_in_thai():
    assert salary_round(2568, 2).name_th == "ปีงบประมาณ พ.ศ. 2568 ครั้งที่ 2 (1 เม.ย. 2568 - 30 ก.ย. 2568)"


# --- policy ----------------------------------------------------------------------------------------

def test_the_shipped_policy_holds_the_regulation_and_common_agency_defaults():
    policy = load_policy()
    assert policy.version
    assert policy.defaults == Limits(max_counted_leave_days=23, max_absent_days=0, min_months_of_service=4,
                                     max_leave_occasions=10, max_late_count=18, at_risk_fraction=0.8)


def document(**overrides):
    return {"version": "t1",
            "statutory": {"max_counted_leave_days": 23, "max_absent_days": 0, "min_months_of_service": 4},
            "agency": {"max_leave_occasions": 10, "max_late_count": 18, "at_risk_fraction": 0.8},
            "overrides": overrides}


def test_a_unit_inherits_its_ancestors_overrides_its_own_applied_last():
    policy = parse_policy(document(BMA={"max_late_count": 12, "max_leave_occasions": 8}, OCSC={"max_late_count": 6}))
    assert policy.limits_for(["BMA", "OCSC"]).max_late_count == 6
    assert policy.limits_for(["BMA", "OCSC"]).max_leave_occasions == 8
    assert policy.limits_for(["BMA"]).max_late_count == 12
    assert policy.limits_for(["OTHER"]) == policy.defaults


def test_statutory_limits_may_be_tightened():
    policy = parse_policy(document(STRICT={"max_counted_leave_days": 15, "min_months_of_service": 5}))
    assert policy.limits_for(["STRICT"]).max_counted_leave_days == 15


@pytest.mark.parametrize("limit, value", [("max_counted_leave_days", 24), ("max_absent_days", 1),
                                          ("min_months_of_service", 3)])
def test_statutory_limits_may_never_be_loosened(limit, value):
    with pytest.raises(PolicyError, match="loosens"):
        parse_policy(document(LAX={limit: value}))


@pytest.mark.parametrize("bad", [{"max_lunch": 1}, {"max_late_count": -1}, {"max_late_count": True},
                                 {"max_late_count": "ten"}])
def test_unknown_or_non_numeric_limits_are_refused(bad):
    with pytest.raises(PolicyError):
        parse_policy(document(UNIT=bad))


def test_a_policy_needs_a_version_and_every_limit():
    without_version = document()
    del without_version["version"]
    with pytest.raises(PolicyError):
        parse_policy(without_version)
    incomplete = document()
    del incomplete["agency"]["max_late_count"]
    with pytest.raises(PolicyError):
        parse_policy(incomplete)


def test_a_missing_policy_file_is_a_policy_error(tmp_path):
    with pytest.raises(PolicyError):
        load_policy(tmp_path / "absent.yaml")
