"""Daily attendance (checkin.reports.attendance.derive_day): one status per employee and day,
compared to the minute in Bangkok time."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from checkin.reports import attendance as A
from checkin.reports.attendance import DEFAULT_SHIFT, DayFacts, Shift, derive_day

BANGKOK = ZoneInfo("Asia/Bangkok")
TUESDAY = date(2025, 6, 10)
SATURDAY = date(2025, 6, 14)


def at(hh_mm_ss: str, day: date = TUESDAY) -> datetime:
    return datetime.combine(day, time.fromisoformat(hh_mm_ss), BANGKOK)


def facts(first_in="08:20:00", last_out="16:35:00", day=TUESDAY, **overrides) -> DayFacts:
    values = dict(day=day, employed=True, holiday_name=None, weekend=False, shift=DEFAULT_SHIFT,
                  first_in=first_in and at(first_in, day), last_out=last_out and at(last_out, day))
    values.update(overrides)
    return DayFacts(**values)


def test_the_default_shift_is_08_30_to_16_30_with_lunch_12_to_13():
    assert DEFAULT_SHIFT == Shift(time(8, 30), time(16, 30), time(12, 0), time(13, 0))


def test_every_status_has_a_thai_label():
    statuses = [A.ON_TIME, A.LATE, A.EARLY_LEAVE, A.ON_LEAVE, A.ON_LEAVE_HALF, A.HOLIDAY, A.WEEKEND, A.EXEMPT,
                A.ABSENT, A.ABSENT_CANDIDATE, A.MISSING_CHECKOUT, A.MISSING_CHECKIN, A.PENDING_REVIEW,
                A.NOT_EMPLOYED]
    assert set(A.STATUS_TH) == set(statuses)
    assert all(A.STATUS_TH[s] for s in statuses)


# --- arrival and departure ---------------------------------------------------------------------

def test_a_full_day_in_is_on_time_and_present():
    record = derive_day(facts("08:20:00", "16:35:00"))
    assert (record.status, record.working_day, record.present) == (A.ON_TIME, True, True)
    assert (record.late_minutes, record.early_leave_minutes, record.leave_days) == (0, 0, 0.0)
    assert (record.first_in, record.last_out) == (at("08:20:00"), at("16:35:00"))
    assert record.day == TUESDAY


def test_arriving_at_08_30_59_is_on_time():
    record = derive_day(facts("08:30:59"))
    assert (record.status, record.late_minutes) == (A.ON_TIME, 0)


def test_arriving_at_08_31_00_is_one_minute_late():
    record = derive_day(facts("08:31:00"))
    assert (record.status, record.late_minutes, record.present) == (A.LATE, 1, True)


@pytest.mark.parametrize("arrival, minutes", [("08:45:30", 15), ("09:30:00", 60), ("12:10:00", 220)])
def test_late_minutes_are_whole_minutes_after_the_start(arrival, minutes):
    record = derive_day(facts(arrival))
    assert (record.status, record.late_minutes) == (A.LATE, minutes)


def test_leaving_at_16_29_59_is_one_minute_early():
    record = derive_day(facts(last_out="16:29:59"))
    assert (record.status, record.early_leave_minutes, record.late_minutes) == (A.EARLY_LEAVE, 1, 0)


def test_leaving_at_16_30_00_is_on_time():
    assert derive_day(facts(last_out="16:30:00")).status == A.ON_TIME


def test_leaving_at_15_00_is_90_minutes_early():
    record = derive_day(facts(last_out="15:00:00"))
    assert (record.status, record.early_leave_minutes) == (A.EARLY_LEAVE, 90)


def test_late_and_early_on_one_day_is_late_with_both_counts():
    record = derive_day(facts("09:00:00", "16:00:00"))
    assert (record.status, record.late_minutes, record.early_leave_minutes) == (A.LATE, 30, 30)


def test_a_missing_check_out_is_flagged_not_guessed():
    record = derive_day(facts("08:40:00", None))
    assert (record.status, record.present, record.last_out) == (A.MISSING_CHECKOUT, True, None)
    assert (record.late_minutes, record.early_leave_minutes) == (10, 0)


def test_a_check_out_without_a_check_in_is_missing_check_in():
    record = derive_day(facts(None, "16:40:00"))
    assert (record.status, record.present, record.late_minutes) == (A.MISSING_CHECKIN, True, 0)


# --- leave -----------------------------------------------------------------------------------

def test_a_full_day_leave_is_on_leave_for_one_day():
    record = derive_day(facts(None, None, leave_type="sick", leave_portion="full", leave_id=9))
    assert (record.status, record.working_day, record.present) == (A.ON_LEAVE, True, False)
    assert (record.leave_type, record.leave_days, record.leave_id) == ("sick", 1.0, 9)


def test_a_full_day_leave_wins_over_check_ins_of_that_day():
    record = derive_day(facts("08:00:00", "17:00:00", leave_type="vacation", leave_portion="full", leave_id=3))
    assert (record.status, record.leave_days, record.present) == (A.ON_LEAVE, 1.0, False)


def test_a_morning_leave_expects_arrival_at_13_00():
    on_time = derive_day(facts("13:00:59", "16:30:00", leave_type="personal", leave_portion="am", leave_id=4))
    assert (on_time.status, on_time.late_minutes) == (A.ON_LEAVE_HALF, 0)
    assert (on_time.leave_type, on_time.leave_days, on_time.leave_id, on_time.present) == ("personal", 0.5, 4, True)
    late = derive_day(facts("13:05:00", "16:30:00", leave_type="personal", leave_portion="am", leave_id=4))
    assert (late.status, late.late_minutes, late.leave_days) == (A.LATE, 5, 0.5)


def test_an_afternoon_leave_expects_departure_at_12_00():
    on_time = derive_day(facts("08:25:00", "12:00:00", leave_type="sick", leave_portion="pm", leave_id=5))
    assert (on_time.status, on_time.early_leave_minutes, on_time.leave_days) == (A.ON_LEAVE_HALF, 0, 0.5)
    early = derive_day(facts("08:25:00", "11:50:00", leave_type="sick", leave_portion="pm", leave_id=5))
    assert (early.status, early.early_leave_minutes, early.leave_days) == (A.EARLY_LEAVE, 10, 0.5)


def test_a_half_day_leave_with_no_check_in_is_an_absence_candidate_with_half_a_day_of_leave():
    record = derive_day(facts(None, None, leave_type="personal", leave_portion="am", leave_id=6))
    assert (record.status, record.leave_days, record.leave_type, record.present) == \
        (A.ABSENT_CANDIDATE, 0.5, "personal", False)


def test_no_leave_means_no_leave_type_on_the_record():
    record = derive_day(facts(leave_type="sick", leave_portion=None, leave_id=1))
    assert (record.leave_type, record.leave_days, record.leave_id) == (None, 0.0, None)


# --- days that are not working days -------------------------------------------------------------

def test_a_holiday_is_not_a_working_day():
    record = derive_day(facts(None, None, holiday_name="วันวิสาขบูชา"))
    assert (record.status, record.working_day, record.present) == (A.HOLIDAY, False, False)


def test_a_weekend_is_not_a_working_day():
    record = derive_day(facts(None, None, day=SATURDAY, weekend=True))
    assert (record.status, record.working_day) == (A.WEEKEND, False)


def test_a_holiday_on_a_weekend_is_a_holiday():
    assert derive_day(facts(None, None, day=SATURDAY, weekend=True, holiday_name="x")).status == A.HOLIDAY


def test_leave_over_a_holiday_or_weekend_is_not_a_leave_day():
    holiday = derive_day(facts(None, None, holiday_name="x", leave_type="sick", leave_portion="full", leave_id=1))
    weekend = derive_day(facts(None, None, weekend=True, leave_type="sick", leave_portion="full", leave_id=1))
    assert (holiday.status, holiday.leave_days, holiday.leave_type) == (A.HOLIDAY, 0.0, None)
    assert (weekend.status, weekend.leave_days, weekend.leave_type) == (A.WEEKEND, 0.0, None)


def test_work_on_a_holiday_does_not_make_it_a_working_day():
    record = derive_day(facts("09:00:00", "15:00:00", holiday_name="x"))
    assert (record.status, record.working_day, record.late_minutes) == (A.HOLIDAY, False, 0)


def test_a_day_before_hiring_is_not_employed_whatever_else_is_true():
    record = derive_day(facts(None, None, employed=False, holiday_name="x", weekend=True))
    assert (record.status, record.working_day, record.present) == (A.NOT_EMPLOYED, False, False)


def test_pending_reviews_on_a_day_that_is_not_a_working_day_are_not_carried():
    assert derive_day(facts(None, None, weekend=True, pending_reviews=2)).pending_reviews == 0


# --- exemptions, absences, pending reviews --------------------------------------------------------

def test_an_approved_exemption_is_present_without_check_ins():
    record = derive_day(facts(None, None, exempt=True))
    assert (record.status, record.present, record.working_day, record.late_minutes) == (A.EXEMPT, True, True, 0)


def test_an_exemption_covers_a_late_arrival():
    assert derive_day(facts("10:00:00", "15:00:00", exempt=True)).status == A.EXEMPT


def test_a_full_day_leave_wins_over_an_exemption():
    record = derive_day(facts(None, None, exempt=True, leave_type="sick", leave_portion="full", leave_id=1))
    assert (record.status, record.leave_days) == (A.ON_LEAVE, 1.0)


def test_no_check_in_and_no_leave_is_an_absence_candidate():
    record = derive_day(facts(None, None))
    assert (record.status, record.working_day, record.present) == (A.ABSENT_CANDIDATE, True, False)


def test_a_confirmed_absence_is_absent():
    record = derive_day(facts(None, None, confirmed_absent=True))
    assert (record.status, record.present) == (A.ABSENT, False)


def test_a_confirmed_absence_with_accepted_check_ins_follows_the_check_ins():
    assert derive_day(facts("08:20:00", "16:35:00", confirmed_absent=True)).status == A.ON_TIME


def test_a_day_whose_only_events_wait_for_review_is_pending_review():
    record = derive_day(facts(None, None, pending_reviews=2))
    assert (record.status, record.pending_reviews, record.present) == (A.PENDING_REVIEW, 2, False)


def test_pending_review_comes_before_a_confirmed_absence():
    assert derive_day(facts(None, None, pending_reviews=1, confirmed_absent=True)).status == A.PENDING_REVIEW


def test_pending_reviews_are_carried_on_a_day_with_accepted_events():
    record = derive_day(facts("08:20:00", "16:35:00", pending_reviews=1))
    assert (record.status, record.pending_reviews) == (A.ON_TIME, 1)


# --- another shift ------------------------------------------------------------------------------

EARLY_SHIFT = Shift(time(7, 30), time(15, 30), time(11, 30), time(12, 30))


@pytest.mark.parametrize("arrival, status, minutes", [
    ("07:15:00", A.ON_TIME, 0), ("07:30:59", A.ON_TIME, 0), ("07:31:00", A.LATE, 1), ("08:30:00", A.LATE, 60),
])
def test_a_07_30_shift_is_late_from_07_31(arrival, status, minutes):
    record = derive_day(facts(arrival, "15:30:00", shift=EARLY_SHIFT))
    assert (record.status, record.late_minutes) == (status, minutes)


def test_a_07_30_shift_ends_at_15_30():
    assert derive_day(facts("07:20:00", "15:30:00", shift=EARLY_SHIFT)).status == A.ON_TIME
    early = derive_day(facts("07:20:00", "15:29:00", shift=EARLY_SHIFT))
    assert (early.status, early.early_leave_minutes) == (A.EARLY_LEAVE, 1)


def test_a_half_day_leave_follows_the_shifts_own_lunch():
    morning = derive_day(facts("12:31:00", "15:30:00", shift=EARLY_SHIFT, leave_type="personal",
                               leave_portion="am", leave_id=1))
    assert (morning.status, morning.late_minutes) == (A.LATE, 1)
    afternoon = derive_day(facts("07:20:00", "11:30:00", shift=EARLY_SHIFT, leave_type="personal",
                                 leave_portion="pm", leave_id=1))
    assert afternoon.status == A.ON_LEAVE_HALF


def test_derive_day_is_deterministic():
    day = facts("08:31:00", "16:00:00", pending_reviews=1)
    assert derive_day(day) == derive_day(day)
