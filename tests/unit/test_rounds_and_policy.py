"""Salary-step rounds (checkin.reports.rounds) and the limits policy (checkin.reports.policy)."""

from datetime import date

import pytest

from checkin.reports.policy import (Limits, PolicyError, check_unit_codes, load_policies, parse_policies)
from checkin.reports.policy_schema import LIMIT_NAMES
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


# --- policy: the file ------------------------------------------------------------------------------

STATUTORY = {"max_counted_leave_days": 23, "max_absent_days": 0, "min_months_of_service": 4}
AGENCY = {"max_leave_occasions": 10, "max_late_count": 18, "at_risk_fraction": 0.8}


def policy(version="t1", in_force_from=date(2024, 10, 1), **sections) -> dict:
    """One entry of `policies:`; `sections` replace or add keys (None removes one)."""
    entry = {"version": version, "in_force_from": in_force_from, "statutory": dict(STATUTORY),
             "agency": dict(AGENCY), **sections}
    return {key: value for key, value in entry.items() if value is not None}


def single(**sections) -> dict:
    """The older form of the file: one policy at the top level, no dates."""
    return policy(in_force_from=None, **sections)


def problems_of(document) -> list[str]:
    with pytest.raises(PolicyError) as raised:
        parse_policies(document)
    return raised.value.problems


def test_the_shipped_file_holds_one_policy_with_the_regulation_and_common_agency_defaults():
    book = load_policies()
    (shipped,) = book.policies
    assert (shipped.version, shipped.in_force_from, shipped.in_force_to) == ("2568.1", date(2024, 10, 1), None)
    assert shipped.defaults == Limits(max_counted_leave_days=23, max_absent_days=0, min_months_of_service=4,
                                      max_leave_occasions=10, max_late_count=18, at_risk_fraction=0.8)
    assert shipped.counted_leave_types == ("sick", "personal")
    assert (shipped.personnel_types, shipped.overrides) == ({}, {})
    assert book.in_force_on(date(2025, 9, 30)) is shipped
    with pytest.raises(PolicyError, match="no policy is in force on 2024-09-30"):
        book.in_force_on(date(2024, 9, 30))


def test_the_older_one_policy_form_is_one_policy_in_force_always():
    book = parse_policies(single(overrides={"OCSC": {"max_late_count": 12}}))
    (only,) = book.policies
    assert (only.version, only.in_force_from, only.in_force_to) == ("t1", None, None)
    assert book.in_force_on(date(1990, 1, 1)) is only and book.in_force_on(date(2100, 1, 1)) is only
    assert only.limits_for(["OCSC"]).max_late_count == 12


def test_a_past_round_is_judged_by_the_policy_in_force_then():
    book = parse_policies({"policies": [
        policy("2568.1", date(2024, 10, 1), in_force_to=date(2025, 3, 31)),
        policy("2568.2", date(2025, 4, 1), agency={**AGENCY, "max_late_count": 12}),
    ]})
    round_1, round_2 = salary_round(2568, 1), salary_round(2568, 2)
    assert book.in_force_on(round_1.end).version == "2568.1"  # in_force_to is the last day in force
    assert book.in_force_on(round_2.end).version == "2568.2"
    assert book.in_force_on(round_2.end).defaults.max_late_count == 12
    assert book.in_force_on(date(2030, 1, 1)).version == "2568.2"  # no in_force_to: until further notice


def test_policies_may_leave_a_gap_and_a_day_in_it_has_no_policy():
    book = parse_policies({"policies": [policy("a", date(2024, 10, 1), in_force_to=date(2024, 12, 31)),
                                        policy("b", date(2025, 4, 1))]})
    with pytest.raises(PolicyError, match="no policy is in force on 2025-03-31"):
        book.in_force_on(date(2025, 3, 31))


def test_overlapping_policies_are_refused():
    assert problems_of({"policies": [policy("a", date(2024, 10, 1), in_force_to=date(2025, 4, 1)),
                                     policy("b", date(2025, 4, 1))]}) == [
        'policy "a": in force to 2025-04-01, overlapping policy "b" in force from 2025-04-01']


def test_a_policy_without_an_end_before_another_is_refused_with_the_end_to_give_it():
    assert problems_of({"policies": [policy("a", date(2024, 10, 1)), policy("b", date(2025, 4, 1))]}) == [
        'policy "a": has no in_force_to but policy "b" is in force from 2025-04-01; '
        'give policy "a" in_force_to: 2025-03-31']


def test_policies_are_listed_oldest_first():
    problems = problems_of({"policies": [policy("b", date(2025, 4, 1)),
                                         policy("a", date(2024, 10, 1), in_force_to=date(2025, 3, 31))]})
    assert problems == ['policy "a": listed after policy "b" but in force from an earlier or equal date; '
                        "list policies oldest first"]


def test_a_version_used_twice_is_refused():
    problems = problems_of({"policies": [policy("a", date(2024, 10, 1), in_force_to=date(2025, 3, 31)),
                                         policy("a", date(2025, 4, 1))]})
    assert problems == ['policy "a": the version is used by an earlier policy too; each change needs its own']


def test_a_policy_ending_before_it_starts_is_refused():
    assert problems_of({"policies": [policy(in_force_to=date(2024, 9, 1))]}) == [
        'policy "t1", in_force_to: 2024-09-01 is before in_force_from 2024-10-01']


@pytest.mark.parametrize("document, problem", [
    ({"policies": [policy(version=None)]}, "policy #1, version: missing"),
    (single(version=None), "policy, version: missing"),
    ({"policies": [policy(version=2568.1)]}, 'policy #1, version: must be text: put it in quotes, e.g. "2568.1"'),
    ({"policies": [policy(in_force_from=None)]}, 'policy "t1", in_force_from: missing'),
    ({"policies": [policy(in_force_from="1/10/2567")]},
     "policy \"t1\", in_force_from: must be a date written YYYY-MM-DD (got '1/10/2567')"),
    ({"policies": []}, "policies: expected a list of at least one policy"),
    ({"policies": [policy()], "version": "x"}, "top level: unknown keys ['version']"),
    (None, "the file holds no policy"),
])
def test_a_policy_needs_a_version_and_its_dates(document, problem):
    (found,) = problems_of(document)
    assert found.startswith(problem)


# --- policy: the limits -----------------------------------------------------------------------------

def test_a_unit_inherits_its_ancestors_overrides_its_own_applied_last():
    book = parse_policies(single(overrides={"BMA": {"max_late_count": 12, "max_leave_occasions": 8},
                                            "OCSC": {"max_late_count": 6}}))
    (only,) = book.policies
    assert only.limits_for(["BMA", "OCSC"]).max_late_count == 6
    assert only.limits_for(["BMA", "OCSC"]).max_leave_occasions == 8
    assert only.limits_for(["BMA"]).max_late_count == 12
    assert only.limits_for(["OTHER"]) == only.defaults
    assert book.unit_codes() == {"BMA", "OCSC"}


def test_a_personnel_type_applies_after_the_defaults_and_before_the_units():
    (only,) = parse_policies(single(personnel_types={"employee": {"max_late_count": 12, "max_leave_occasions": 6}},
                                    overrides={"OCSC": {"max_late_count": 8}})).policies
    assert only.limits_for(["BMA"], "employee").max_late_count == 12
    assert only.limits_for(["BMA", "OCSC"], "employee").max_late_count == 8  # the unit's own, last
    assert only.limits_for(["BMA", "OCSC"], "employee").max_leave_occasions == 6
    assert only.limits_for(["BMA"]) == only.limits_for(["BMA"], "civil_servant") == only.defaults
    with pytest.raises(ValueError, match="unknown personnel type 'contractor'"):
        only.limits_for(["BMA"], "contractor")


def test_statutory_limits_may_be_tightened_and_agency_limits_set_either_way():
    (only,) = parse_policies(single(overrides={"STRICT": {"max_counted_leave_days": 15.5, "min_months_of_service": 5,
                                                          "max_late_count": 30}})).policies
    strict = only.limits_for(["STRICT"])
    assert (strict.max_counted_leave_days, strict.min_months_of_service, strict.max_late_count) == (15.5, 5, 30)


@pytest.mark.parametrize("limit, value, bound", [
    ("max_counted_leave_days", 24, 23), ("max_counted_leave_days", 23.5, 23), ("max_absent_days", 1, 0),
    ("min_months_of_service", 3, 4)])
@pytest.mark.parametrize("where", ["statutory", "personnel_types", "overrides"])
def test_statutory_limits_are_never_loosened_anywhere(where, limit, value, bound):
    sections = {"statutory": {"statutory": {**STATUTORY, limit: value}},
                "personnel_types": {"personnel_types": {"employee": {limit: value}}},
                "overrides": {"overrides": {"OCSC": {limit: value}}}}[where]
    location = {"statutory": "statutory", "personnel_types": "personnel_types, employee",
                "overrides": "overrides, OCSC"}[where]
    assert problems_of({"policies": [policy("2568.1", **sections)]}) == [
        f'policy "2568.1", {location}, {limit}: {value} loosens the regulation\'s {bound}; it may only be tightened']


@pytest.mark.parametrize("limit, value, words", [
    ("max_late_count", True, "must be a whole number (got True)"),  # YAML's yes/true is no count
    ("max_late_count", "18", "must be a whole number (got '18')"),
    ("max_late_count", 18.5, "must be a whole number (got 18.5)"),
    ("max_late_count", -1, "must be 0 or more (got -1)"),
    ("max_counted_leave_days", False, "must be a number (got False)"),
    ("max_counted_leave_days", "23", "must be a number (got '23')"),
    ("max_counted_leave_days", -0.5, "must be 0 or more (got -0.5)"),
    ("min_months_of_service", 4.5, "must be a whole number (got 4.5)"),
    ("min_months_of_service", 7, "7 months can never be met: a round has 6"),
    ("at_risk_fraction", 1.5, "must be more than 0 and at most 1 (got 1.5)"),
    ("at_risk_fraction", 0, "must be more than 0 and at most 1 (got 0)"),
    ("at_risk_fraction", float("nan"), "Special numeric values (nan or infinity) are not permitted."),
    ("max_lateness", 3, "unknown key; known: max_counted_leave_days, max_absent_days, min_months_of_service, "
                        "max_leave_occasions, max_late_count, at_risk_fraction"),
])
def test_a_limit_of_the_wrong_type_or_range_is_refused_naming_where(limit, value, words):
    assert problems_of(single(version="v9", overrides={"OCSC": {limit: value}})) == [
        f'policy "v9", overrides, OCSC, {limit}: {words}']


@pytest.mark.parametrize("fraction", [0.01, 0.5, 1])
def test_the_at_risk_fraction_may_be_anything_above_0_up_to_1(fraction):
    (only,) = parse_policies(single(agency={**AGENCY, "at_risk_fraction": fraction})).policies
    assert only.defaults.at_risk_fraction == fraction


def test_statutory_and_agency_each_name_their_own_limits_all_of_them():
    problems = problems_of(single(statutory={"max_counted_leave_days": 23, "max_absent_days": 0,
                                             "max_late_count": 18},
                                  agency={"max_leave_occasions": 10, "at_risk_fraction": 0.8}))
    assert problems == ['policy "t1", statutory, min_months_of_service: missing',
                        'policy "t1", statutory, max_late_count: unknown key; known: max_counted_leave_days, '
                        "max_absent_days, min_months_of_service",
                        'policy "t1", agency, max_late_count: missing']


def test_every_problem_of_a_file_is_reported_at_once_each_where_it_is():
    document = {"policies": [
        policy("2568.1", in_force_to=date(2025, 3, 31), agency={**AGENCY, "at_risk_fraction": 1.5},
               personnel_types={"contractor": {"max_late_count": 3}},
               overrides={"OCSC": {"max_counted_leave_days": 30}, 101: {"max_late_count": 2}, "EMPTY": None}),
        policy("2568.2", date(2025, 4, 1), counted_leave_types=["sick"], colour="red"),
    ]}
    assert sorted(problems_of(document)) == sorted([
        'policy "2568.1", agency, at_risk_fraction: must be more than 0 and at most 1 (got 1.5)',
        'policy "2568.1", personnel_types, contractor: unknown personnel type; known: civil_servant, '
        "permanent_employee, employee",
        'policy "2568.1", overrides, OCSC, max_counted_leave_days: 30 loosens the regulation\'s 23; '
        "it may only be tightened",
        'policy "2568.1", overrides, 101: a unit code must be text: put it in quotes',
        'policy "2568.1", overrides, EMPTY: is empty: name a limit or remove it',
        'policy "2568.2", counted_leave_types: must include \'personal\': the regulation counts it',
        'policy "2568.2", colour: unknown key; known: version, in_force_from, in_force_to, statutory, agency, '
        "counted_leave_types, personnel_types, overrides",
    ])


# --- policy: counted leave types, rows for HR, unit codes, the file itself ---------------------------

def test_counted_leave_types_default_to_sick_and_personal_and_a_policy_may_add_known_types():
    assert parse_policies(single()).policies[0].counted_leave_types == ("sick", "personal")
    assert parse_policies(single(counted_leave_types=None)).policies[0].counted_leave_types == ("sick", "personal")
    added = parse_policies(single(counted_leave_types=["sick", "personal", "paternity"])).policies[0]
    assert added.counted_leave_types == ("sick", "personal", "paternity")


@pytest.mark.parametrize("types, problem", [
    (["personal"], ": must include 'sick': the regulation counts it"),
    (["sick", "personal", "sick"], ": 'sick' is listed twice"),
    (["sick", "personal", "vacaton"], ", #3: unknown leave type 'vacaton'; known: sick, personal, vacation"),
    ("sick", ": must be a list [a, b]"),
])
def test_counted_leave_types_must_include_the_regulations_and_be_known(types, problem):
    (found,) = problems_of(single(counted_leave_types=types))
    assert found.startswith(f'policy "t1", counted_leave_types{problem}')


def test_the_rows_say_in_thai_what_applies_where():
    (only,) = parse_policies({"policies": [policy(
        "2568.1", in_force_to=date(2025, 9, 30), counted_leave_types=["sick", "personal", "paternity"],
        personnel_types={"employee": {"max_late_count": 12}},
        overrides={"OCSC": {"max_leave_occasions": 8}})]}).policies
    rows = {(row["scope"], row["limit"]): row for row in only.as_rows()}
    assert rows["all", "in_force"]["value"] == "1 ต.ค. 2567 ถึง 30 ก.ย. 2568"
    assert rows["all", "counted_leave_types"]["value"] == "ลาป่วย, ลากิจส่วนตัว, ลาไปช่วยเหลือภริยาที่คลอดบุตร"
    assert rows["all", "max_counted_leave_days"] == {
        "scope": "all", "scope_th": "ทุกหน่วยงาน", "limit": "max_counted_leave_days",
        "limit_th": "วันลาป่วยและลากิจส่วนตัวรวมไม่เกิน (วัน)", "value": 23}
    employee, unit = rows["employee", "max_late_count"], rows["OCSC", "max_leave_occasions"]
    assert (employee["scope_th"], employee["value"], unit["scope_th"], unit["value"]) == ("พนักงาน", 12, "OCSC", 8)
    assert len(rows) == 2 + len(LIMIT_NAMES) + 2  # nothing else
    assert parse_policies(single()).policies[0].as_rows()[0]["value"] == "ทุกรอบ"


def test_the_file_and_the_limits_name_the_same_limits():
    assert LIMIT_NAMES == tuple(Limits.__dataclass_fields__)


def test_unknown_unit_codes_are_named_every_one():
    book = parse_policies({"policies": [
        policy("a", in_force_to=date(2025, 3, 31),
               overrides={"OCSC": {"max_late_count": 6}, "OSCS": {"max_late_count": 6}}),
        policy("b", date(2025, 4, 1), overrides={"BMA": {"max_late_count": 12}, "XX": {"max_late_count": 1}}),
    ]})
    check_unit_codes(book, {"BMA", "OCSC", "OSCS", "XX"})
    with pytest.raises(PolicyError) as raised:
        check_unit_codes(book, {"BMA", "OCSC"})
    assert raised.value.problems == ['policy "a", overrides, OSCS: no unit has this code',
                                     'policy "b", overrides, XX: no unit has this code']


def test_a_key_given_twice_in_the_file_is_reported_with_its_line(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text('version: "t1"\n'
                    "statutory: {max_counted_leave_days: 23, max_absent_days: 0, min_months_of_service: 4}\n"
                    "agency: {max_leave_occasions: 10, max_late_count: 18, at_risk_fraction: 1.2}\n"
                    "overrides:\n"
                    '  "OCSC": {max_late_count: 6}\n'
                    '  "OCSC": {max_leave_occasions: 5}\n', encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        load_policies(path)
    assert raised.value.problems == ["line 6: 'OCSC' is given twice (YAML would keep only the last)",
                                     'policy "t1", agency, at_risk_fraction: must be more than 0 and at most 1 '
                                     "(got 1.2)"]
    assert str(path) in str(raised.value) and "2 problems" in str(raised.value)


@pytest.mark.parametrize("text", [None, "version: [unclosed\n"], ids=["missing", "not YAML"])
def test_a_file_that_cannot_be_read_is_a_policy_error_naming_it(tmp_path, text):
    path = tmp_path / "policy.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=f"policy file {path}: 1 problem:\n  - cannot be read"):
        load_policies(path)
