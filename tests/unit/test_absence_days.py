"""Which days can be confirmed as an absence (checkin.timekeeping.absence_days): a past or
present working day of the employee's service, nothing else."""

from datetime import date

import pytest

from checkin.timekeeping.absence_days import absence_refusal

TODAY = date(2025, 6, 11)  # a Wednesday


def reason(day: date, today: date = TODAY, hired_on: date | None = None, holiday: str | None = None) -> str | None:
    refusal = absence_refusal(day, today, hired_on, holiday)
    return refusal and refusal.reason


def test_an_ordinary_past_working_day_can_be_an_absence():
    assert absence_refusal(date(2025, 6, 10), TODAY, date(2020, 1, 6), None) is None


def test_today_can_be_confirmed_but_tomorrow_cannot():
    assert reason(TODAY) is None
    assert reason(date(2025, 6, 12)) == "ABSENCE_IN_FUTURE"
    assert "2025-06-11" in absence_refusal(date(2025, 6, 12), TODAY, None, None).message


def test_a_day_to_come_is_refused_as_future_even_when_it_is_also_a_weekend():
    assert reason(date(2025, 6, 14)) == "ABSENCE_IN_FUTURE"


@pytest.mark.parametrize("day", [date(2025, 6, 7), date(2025, 6, 8)])
def test_saturday_and_sunday_are_not_working_days(day):
    assert reason(day) == "ABSENCE_NOT_A_WORKING_DAY"


def test_a_holiday_is_not_a_working_day_and_the_message_names_it():
    refusal = absence_refusal(date(2025, 6, 3), TODAY, None, "วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี")
    assert refusal.reason == "ABSENCE_NOT_A_WORKING_DAY"
    assert "วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี" in refusal.message


def test_days_before_hiring_are_refused_and_the_first_day_is_not():
    assert reason(date(2025, 6, 9), hired_on=date(2025, 6, 10)) == "ABSENCE_BEFORE_HIRE"
    assert reason(date(2025, 6, 10), hired_on=date(2025, 6, 10)) is None
