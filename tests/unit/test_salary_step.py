"""The salary-step review (checkin.reports.salary_step): the counts, the limits, each status with
its remarks, leave occasions and units, and time in service in whole months and days."""

from datetime import date, datetime, time, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from checkin.reports import attendance as A
from checkin.reports.attendance import DEFAULT_SHIFT, DayFacts, derive_day
from checkin.reports.policy import Limits
from checkin.reports.rounds import salary_round
from checkin.reports.salary_step import (AT_RISK, ELIGIBLE, NEEDS_REVIEW, NOT_ELIGIBLE, STATUS_TH, LeaveSpan,
                                         Service, details, limits_th, service_in_round, summarise)

BANGKOK = ZoneInfo("Asia/Bangkok")
LIMITS = Limits(max_counted_leave_days=23, max_absent_days=0, min_months_of_service=4, max_leave_occasions=10,
                max_late_count=18, at_risk_fraction=0.8)
FULL_ROUND = Service(6, 0)
COUNTED = ("sick", "personal")
ROUND_2 = salary_round(2568, 2)  # 1 Apr - 30 Sep 2025
ROUND_1 = salary_round(2568, 1)  # 1 Oct 2024 - 31 Mar 2025


class Days:
    """Working days of a round, one weekday after another from 1 Apr 2025."""

    def __init__(self):
        self.records: list[A.DayRecord] = []
        self._weekdays = (d for d in (date(2025, 4, 1) + timedelta(n) for n in count()) if d.weekday() < 5)
        self._leave_ids = count(100)

    def _add(self, n: int, first_in="08:20:00", last_out="16:35:00", **facts) -> "Days":
        for _ in range(n):
            day = next(self._weekdays)
            moment = lambda text: text and datetime.combine(day, time.fromisoformat(text), BANGKOK)  # noqa: E731
            self.records.append(derive_day(DayFacts(day=day, employed=True, holiday_name=None, weekend=False,
                                                    shift=DEFAULT_SHIFT, first_in=moment(first_in),
                                                    last_out=moment(last_out), **facts)))
        return self

    def on_time(self, n=1):
        return self._add(n)

    def late(self, n=1, arrival="08:40:00"):
        return self._add(n, first_in=arrival)

    def early(self, n=1):
        return self._add(n, last_out="16:00:00")

    def leave(self, leave_type: str, days: int, occasions: int = 1, portion="full"):
        """`occasions` leave records of `days` days each, a working day between them."""
        for index in range(occasions):
            if index:
                self.on_time()
            leave_id = next(self._leave_ids)
            if portion == "full":
                self._add(days, None, None, leave_type=leave_type, leave_portion="full", leave_id=leave_id)
            else:
                self._add(days, leave_type=leave_type, leave_portion=portion, leave_id=leave_id,
                          first_in="12:50:00" if portion == "am" else "08:20:00",
                          last_out="16:35:00" if portion == "am" else "12:05:00")
        return self

    def absent(self, n=1):
        return self._add(n, None, None, confirmed_absent=True)

    def absence_candidate(self, n=1):
        return self._add(n, None, None)

    def pending(self, n=1):
        return self._add(n, None, None, pending_reviews=1)

    def missing_checkout(self, n=1):
        return self._add(n, last_out=None)

    def missing_checkin(self, n=1):
        return self._add(n, first_in=None)

    def not_working(self, n=1):
        """`n` weekends and `n` holidays, with leave, a pending review or a check-in on them."""
        for _ in range(n):
            common = dict(employed=True, shift=DEFAULT_SHIFT)
            self.records.append(derive_day(DayFacts(day=date(2025, 4, 5), holiday_name=None, weekend=True,
                                                    leave_type="sick", leave_portion="full", leave_id=1,
                                                    pending_reviews=1, **common)))
            self.records.append(derive_day(DayFacts(day=date(2025, 4, 14), holiday_name="วันสงกรานต์",
                                                    weekend=False, first_in=datetime(2025, 4, 14, 10, 0,
                                                                                     tzinfo=BANGKOK), **common)))
        return self


def summary(days: Days, service: Service = FULL_ROUND, limits: Limits = LIMITS, counted=COUNTED, spans=()):
    return summarise(days.records, list(spans), service, limits, counted)


def leave_days(result) -> dict:
    return {code: value["days"] for code, value in result.leave.items()}


# --- the catalogue ------------------------------------------------------------------------------

def test_each_status_has_the_thai_words_hr_uses():
    assert STATUS_TH == {ELIGIBLE: "ผ่านเกณฑ์", AT_RISK: "ใกล้เกณฑ์", NOT_ELIGIBLE: "ไม่ผ่านเกณฑ์",
                         NEEDS_REVIEW: "ต้องตรวจสอบ"}


# --- eligible and the counts ----------------------------------------------------------------------

def test_a_clean_round_is_eligible_with_every_count_shown():
    result = summary(Days().on_time(100))
    assert (result.status, result.reasons) == (ELIGIBLE, [])
    assert (result.working_days, result.days_present) == (100, 100)
    assert (result.late_count, result.late_minutes, result.early_leave_count) == (0, 0, 0)
    assert (result.counted_leave_occasions, result.leave, result.counted_leave_days) == (0, {}, 0.0)
    assert (result.absent_days, result.absence_candidates, result.pending_reviews, result.missing_checkouts) == \
        (0, 0, 0, 0)
    assert (result.service, result.remarks_th) == (FULL_ROUND, "")


def test_the_counts_add_up_over_a_mixed_round():
    days = Days().on_time(80).late(3, "08:45:00").early(2).leave("sick", 2).leave("vacation", 5) \
        .leave("personal", 1, portion="am")
    result = summary(days)
    assert result.working_days == 80 + 3 + 2 + 2 + 5 + 1
    assert result.days_present == 80 + 3 + 2 + 1  # the half-day came in the afternoon
    assert (result.late_count, result.late_minutes, result.early_leave_count) == (3, 45, 2)
    assert result.leave == {"personal": {"occasions": 1, "days": 0.5}, "sick": {"occasions": 1, "days": 2.0},
                            "vacation": {"occasions": 1, "days": 5.0}}
    assert (result.counted_leave_days, result.not_counted_leave_days, result.counted_leave_occasions) == (2.5, 5.0, 2)
    assert result.status == ELIGIBLE


def test_weekends_and_holidays_count_for_nothing():
    result = summary(Days().on_time(10).not_working(5))
    assert (result.working_days, result.days_present, result.leave, result.pending_reviews) == (10, 10, {}, 0)
    assert result.status == ELIGIBLE


# --- counted leave: 23 sick + personal days ----------------------------------------------------------

@pytest.mark.parametrize("sick, personal, half, status, reasons", [
    (10, 8, False, ELIGIBLE, []),  # 18 < 80 % of 23 = 18.4
    (10, 8, True, AT_RISK, ["COUNTED_LEAVE_NEAR_LIMIT"]),  # 18.5
    (12, 11, False, AT_RISK, ["COUNTED_LEAVE_NEAR_LIMIT"]),  # 23: at the limit, not over
    (12, 11, True, NOT_ELIGIBLE, ["COUNTED_LEAVE_OVER_LIMIT"]),  # 23.5
])
def test_sick_and_personal_leave_are_limited_to_23_days(sick, personal, half, status, reasons):
    days = Days().on_time(60).leave("sick", sick).on_time().leave("personal", personal)
    if half:
        days.on_time().leave("personal", 1, portion="pm")
    result = summary(days)
    assert result.counted_leave_days == sick + personal + (0.5 if half else 0)
    assert result.counted_leave_occasions == 2 + half
    assert (result.status, result.reasons) == (status, reasons)


def test_the_remark_gives_the_figures():
    result = summary(Days().on_time(60).leave("sick", 12).on_time().leave("personal", 12))
    assert result.remarks_th == "ลาป่วยและลากิจส่วนตัว 24 วัน เกินเกณฑ์ 23 วัน"


@pytest.mark.parametrize("leave_type", ["vacation", "paternity", "sick_on_duty"])
def test_leave_the_policy_does_not_count_is_shown_in_working_days_but_not_counted(leave_type):
    result = summary(Days().on_time(60).leave(leave_type, 30))
    assert result.leave == {leave_type: {"occasions": 1, "days": 30.0}}
    assert (result.counted_leave_days, result.not_counted_leave_days, result.counted_leave_occasions) == (0.0, 30.0, 0)
    assert result.status == ELIGIBLE


def test_a_policy_that_counts_paternity_leave_counts_it():
    result = summary(Days().on_time(60).leave("paternity", 15), counted=("sick", "personal", "paternity"))
    assert (result.counted_leave_days, result.counted_leave_occasions, result.not_counted_leave_days) == (15, 1, 0)


@pytest.mark.parametrize("leave_type", ["maternity", "ordination_hajj", "military"])
def test_long_leave_is_shown_in_calendar_days(leave_type):
    """Maternity 1 May - 29 Jul 2025 is 90 days as the regulation counts it, weekends included."""
    days = Days().on_time(22)  # 1 - 30 Apr
    days.leave(leave_type, 64)  # the weekdays of 1 May - 29 Jul
    result = summary(days, spans=[LeaveSpan(leave_type, date(2025, 5, 1), date(2025, 7, 29))])
    assert result.leave == {leave_type: {"occasions": 1, "days": 90}}
    assert (result.counted_leave_days, result.not_counted_leave_days) == (0.0, 64.0)


@pytest.mark.parametrize("days, counted", [(40, 0.0), (60, 0.0), (65, 5.0), (84, 24.0)])
def test_long_term_sick_leave_counts_only_beyond_60_working_days(days, counted):
    result = summary(Days().on_time(20).leave("sick_long_term", days))
    assert result.counted_leave_days == counted
    assert result.not_counted_leave_days == days - counted
    assert result.counted_leave_occasions == 0
    assert result.status == (NOT_ELIGIBLE if counted > 23 else ELIGIBLE)


# --- leave occasions (ครั้ง) -----------------------------------------------------------------------

@pytest.mark.parametrize("occasions, status, reasons", [
    (7, ELIGIBLE, []),
    (8, AT_RISK, ["LEAVE_OCCASIONS_NEAR_LIMIT"]),
    (10, AT_RISK, ["LEAVE_OCCASIONS_NEAR_LIMIT"]),
    (11, NOT_ELIGIBLE, ["LEAVE_OCCASIONS_OVER_LIMIT"]),
])
def test_leave_occasions_are_limited_to_10(occasions, status, reasons):
    result = summary(Days().on_time(60).leave("sick", 1, occasions=occasions))
    assert (result.counted_leave_occasions, result.counted_leave_days) == (occasions, occasions)
    assert (result.status, result.reasons) == (status, reasons)


def test_one_leave_record_over_several_days_is_one_occasion():
    result = summary(Days().on_time(60).leave("personal", 5))
    assert (result.counted_leave_occasions, result.counted_leave_days) == (1, 5.0)


def test_consecutive_records_of_one_leave_are_one_occasion():
    days = Days().on_time(10).leave("sick", 2).leave("sick", 2).leave("sick", 1, portion="am")
    result = summary(days)
    assert (result.leave["sick"], result.counted_leave_occasions) == ({"occasions": 1, "days": 4.5}, 1)
    afternoon_then_morning = Days().leave("sick", 1, portion="pm").leave("sick", 1, portion="am")
    assert summary(afternoon_then_morning).leave["sick"] == {"occasions": 1, "days": 1.0}
    full_then_afternoon = Days().leave("sick", 1).leave("sick", 1, portion="pm")  # worked that morning
    assert summary(full_then_afternoon).leave["sick"]["occasions"] == 2


def test_weekends_between_do_not_split_an_occasion_but_work_or_another_type_does():
    days = Days().on_time(10).leave("sick", 1).not_working(1).leave("sick", 1)
    assert summary(days).leave["sick"]["occasions"] == 1
    assert summary(Days().leave("sick", 1).on_time().leave("sick", 1)).leave["sick"]["occasions"] == 2
    two_mornings = Days().leave("sick", 1, portion="am").leave("sick", 1, portion="am")
    assert summary(two_mornings).leave["sick"]["occasions"] == 2
    result = summary(Days().leave("sick", 1).leave("personal", 1))
    assert (result.leave["sick"]["occasions"], result.leave["personal"]["occasions"]) == (1, 1)
    assert result.counted_leave_occasions == 2


def test_vacation_records_are_not_counted_occasions():
    result = summary(Days().on_time(60).leave("vacation", 1, occasions=12))
    assert (result.counted_leave_occasions, result.leave["vacation"]["occasions"], result.status) == (0, 12, ELIGIBLE)


# --- late arrivals --------------------------------------------------------------------------------

@pytest.mark.parametrize("lates, status, reasons", [
    (14, ELIGIBLE, []),  # < 80 % of 18 = 14.4
    (15, AT_RISK, ["LATE_NEAR_LIMIT"]),
    (18, AT_RISK, ["LATE_NEAR_LIMIT"]),
    (19, NOT_ELIGIBLE, ["LATE_OVER_LIMIT"]),
])
def test_late_arrivals_are_limited_to_18(lates, status, reasons):
    result = summary(Days().on_time(60).late(lates, "08:31:00"))
    assert (result.late_count, result.late_minutes) == (lates, lates)
    assert (result.status, result.reasons) == (status, reasons)


def test_an_agency_may_set_its_own_late_limit():
    limits = Limits(23, 0, 4, 10, 12, 0.8)
    result = summary(Days().on_time(60).late(13), limits=limits)
    assert (result.status, result.reasons) == (NOT_ELIGIBLE, ["LATE_OVER_LIMIT"])
    assert result.remarks_th == "มาสาย 13 ครั้ง เกินเกณฑ์ 12 ครั้ง"
    assert limits_th(limits) == "ลาไม่เกิน 23 วัน/10 ครั้ง, สายไม่เกิน 12 ครั้ง"


def test_a_limit_of_zero_has_no_near_zone_only_over():
    no_occasions = Limits(23, 0, 4, 0, 18, 0.8)
    assert summary(Days().on_time(10), limits=no_occasions).status == ELIGIBLE
    assert summary(Days().on_time(10).leave("sick", 1), limits=no_occasions).reasons == ["LEAVE_OCCASIONS_OVER_LIMIT"]


# --- absence and service ---------------------------------------------------------------------------

def test_one_confirmed_absence_makes_a_person_not_eligible_without_being_over_a_count():
    result = summary(Days().on_time(100).absent(1))
    assert (result.absent_days, result.status, result.reasons) == (1, NOT_ELIGIBLE, ["ABSENT"])
    assert result.remarks_th == "ขาดราชการ 1 วัน"


def test_3_months_29_days_of_service_is_not_4_months():
    result = summary(Days().on_time(60), service=Service(3, 29))
    assert (result.status, result.reasons) == (NOT_ELIGIBLE, ["SERVICE_BELOW_MINIMUM"])
    assert result.remarks_th == "ปฏิบัติราชการในรอบ 3 เดือน 29 วัน ไม่ถึง 4 เดือน"


def test_exactly_4_months_of_service_is_enough():
    assert summary(Days().on_time(60), service=Service(4, 0)).status == ELIGIBLE


# --- needs review ----------------------------------------------------------------------------------

@pytest.mark.parametrize("add, field, reason", [
    (lambda d: d.absence_candidate(2), "absence_candidates", "ABSENCE_CANDIDATES"),
    (lambda d: d.pending(2), "pending_reviews", "PENDING_REVIEWS"),
    (lambda d: d.missing_checkout(2), "missing_checkouts", "MISSING_CHECKOUTS"),
    (lambda d: d.missing_checkin(2), "missing_checkins", "MISSING_CHECKINS"),
], ids=["absence candidates", "pending reviews", "missing check-outs", "missing check-ins"])
def test_what_a_person_must_still_decide_needs_review(add, field, reason):
    result = summary(add(Days().on_time(60)))
    assert getattr(result, field) == 2
    assert (result.status, result.reasons) == (NEEDS_REVIEW, [reason])


def test_an_absence_candidate_is_not_an_absence():
    result = summary(Days().on_time(60).absence_candidate(3))
    assert (result.absent_days, result.absence_candidates) == (0, 3)
    assert "ABSENT" not in result.reasons


# --- precedence ------------------------------------------------------------------------------------

def test_over_a_limit_beats_needs_review_beats_at_risk_and_every_reason_is_listed():
    days = Days().on_time(40).late(19).pending(1).leave("sick", 1, occasions=9)
    result = summary(days, service=Service(3, 0))
    assert result.status == NOT_ELIGIBLE
    assert result.reasons == ["LATE_OVER_LIMIT", "SERVICE_BELOW_MINIMUM", "PENDING_REVIEWS",
                              "LEAVE_OCCASIONS_NEAR_LIMIT"]


def test_needs_review_beats_at_risk():
    result = summary(Days().on_time(40).late(15).missing_checkout(1))
    assert (result.status, result.reasons) == (NEEDS_REVIEW, ["MISSING_CHECKOUTS", "LATE_NEAR_LIMIT"])


# --- time in service: whole months and days ------------------------------------------------------

def test_the_rounds_of_fiscal_year_2568():
    assert (ROUND_1.start, ROUND_1.end) == (date(2024, 10, 1), date(2025, 3, 31))
    assert (ROUND_2.start, ROUND_2.end) == (date(2025, 4, 1), date(2025, 9, 30))


@pytest.mark.parametrize("hired_on, months, days, words", [
    (None, 6, 0, "6 เดือน"), (date(2010, 5, 1), 6, 0, "6 เดือน"), (date(2025, 4, 1), 6, 0, "6 เดือน"),
    (date(2025, 5, 31), 4, 1, "4 เดือน 1 วัน"), (date(2025, 6, 1), 4, 0, "4 เดือน"),
    (date(2025, 6, 2), 3, 29, "3 เดือน 29 วัน"), (date(2025, 6, 30), 3, 1, "3 เดือน 1 วัน"),
    (date(2025, 7, 1), 3, 0, "3 เดือน"), (date(2025, 9, 30), 0, 1, "1 วัน"), (date(2025, 10, 1), 0, 0, "0 วัน"),
])
def test_service_in_round_2_counts_whole_months_and_days_to_the_round_end(hired_on, months, days, words):
    service = service_in_round(hired_on, None, ROUND_2)
    assert (service.months, service.days, service.th) == (months, days, words)


def test_service_in_round_1_crosses_the_new_year():
    assert service_in_round(date(2024, 9, 1), None, ROUND_1) == Service(6, 0)
    assert service_in_round(date(2024, 12, 1), None, ROUND_1) == Service(4, 0)
    assert service_in_round(date(2024, 12, 2), None, ROUND_1) == Service(3, 30)  # just under: not eligible
    assert service_in_round(date(2025, 1, 1), None, ROUND_1) == Service(3, 0)


def test_service_ends_on_the_last_day_served():
    assert service_in_round(date(2010, 1, 1), date(2025, 8, 15), ROUND_2) == Service(4, 15)
    assert service_in_round(date(2010, 1, 1), date(2025, 3, 31), ROUND_2) == Service(0, 0)
    assert service_in_round(date(2025, 6, 2), date(2025, 6, 2), ROUND_2) == Service(0, 1)


# --- the dates behind the counts -------------------------------------------------------------------

def test_details_list_each_late_absence_and_missing_record_by_date():
    days = Days().on_time(2).late(1, "08:45:00").absent(1).absence_candidate(1).missing_checkout(1).pending(1)
    rows = details(days.records)
    assert [(row["date"], row["kind"]) for row in rows] == [
        (date(2025, 4, 3), "late"), (date(2025, 4, 4), "absent"), (date(2025, 4, 7), "absence_candidate"),
        (date(2025, 4, 8), "missing_checkout"), (date(2025, 4, 9), "pending_review")]
    assert rows[0]["late_minutes"] == 15 and rows[0]["kind_th"] == "มาสาย"
    assert details(Days().not_working(2).records) == []
