"""Working days (checkin.timekeeping.calendar): weekends, Thai public + government holidays without
Labour Day, and declared days along a unit chain."""

from datetime import date

import pytest

from checkin.timekeeping.calendar import (calendar_days, dates_between, declared_along, holiday_name, is_weekend,
                                          thai_holidays)


@pytest.mark.parametrize("day, name", [
    (date(2025, 4, 13), "วันสงกรานต์"),
    (date(2025, 4, 14), "วันสงกรานต์"),
    (date(2025, 4, 15), "วันสงกรานต์"),
    (date(2025, 1, 1), "วันขึ้นปีใหม่"),
    (date(2025, 12, 10), "วันรัฐธรรมนูญ"),
    (date(2024, 4, 13), "วันสงกรานต์"),
])
def test_thai_public_holidays_have_their_thai_names(day, name):
    assert holiday_name(day, {}) == name


def test_fathers_day_is_a_holiday():
    assert "วันพ่อแห่งชาติ" in holiday_name(date(2025, 12, 5), {})


def test_a_substitution_day_is_a_holiday_too():
    # Songkran 13 Apr 2025 fell on a Sunday: 16 Apr was given in its place.
    assert holiday_name(date(2025, 4, 16), {}) == "ชดเชยวันสงกรานต์"


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_labour_day_is_not_a_government_holiday(year):
    assert holiday_name(date(year, 5, 1), {}) is None
    assert date(year, 5, 1) not in thai_holidays(year)


def test_an_ordinary_weekday_is_no_holiday():
    assert holiday_name(date(2025, 6, 10), {}) is None


def test_weekends_are_not_holidays_but_weekends():
    assert holiday_name(date(2025, 6, 14), {}) is None
    assert is_weekend(date(2025, 6, 14)) and is_weekend(date(2025, 6, 15))


@pytest.mark.parametrize("day, weekend", [
    (date(2025, 6, 13), False), (date(2025, 6, 14), True), (date(2025, 6, 15), True), (date(2025, 6, 16), False),
])
def test_saturday_and_sunday_are_the_weekend(day, weekend):
    assert is_weekend(day) is weekend


# --- declared days -----------------------------------------------------------------------------

def test_a_declared_day_is_a_holiday():
    assert holiday_name(date(2025, 5, 2), {date(2025, 5, 2): "วันหยุดพิเศษ"}) == "วันหยุดพิเศษ"


def test_a_declared_name_takes_the_place_of_the_packages():
    assert holiday_name(date(2025, 4, 13), {date(2025, 4, 13): "ประกาศ กทม."}) == "ประกาศ กทม."


def test_a_declared_day_can_make_labour_day_a_holiday_for_some():
    assert holiday_name(date(2025, 5, 1), {date(2025, 5, 1): "ประกาศผู้ว่าฯ"}) == "ประกาศผู้ว่าฯ"


ROOT, DEPARTMENT, DIVISION, SIBLING = 1, 2, 3, 9
DECLARED = {
    None: {date(2025, 5, 2): "ครม.: ทั่วประเทศ"},
    ROOT: {date(2025, 6, 6): "กทม.", date(2025, 7, 7): "กทม. ทั้งหมด"},
    DEPARTMENT: {date(2025, 6, 6): "สำนัก", date(2025, 8, 8): "สำนักเท่านั้น"},
    DIVISION: {date(2025, 6, 6): "กอง"},
    SIBLING: {date(2025, 9, 9): "อีกสำนัก"},
}


def test_declared_days_for_everyone_apply_to_every_unit():
    assert declared_along(DECLARED, [])[date(2025, 5, 2)] == "ครม.: ทั่วประเทศ"
    assert declared_along(DECLARED, [ROOT, SIBLING])[date(2025, 5, 2)] == "ครม.: ทั่วประเทศ"


def test_declared_days_apply_to_the_unit_and_those_below_the_nearest_one_winning():
    assert declared_along(DECLARED, [ROOT, DEPARTMENT, DIVISION]) == {
        date(2025, 5, 2): "ครม.: ทั่วประเทศ",
        date(2025, 6, 6): "กอง",
        date(2025, 7, 7): "กทม. ทั้งหมด",
        date(2025, 8, 8): "สำนักเท่านั้น",
    }
    assert declared_along(DECLARED, [ROOT, DEPARTMENT])[date(2025, 6, 6)] == "สำนัก"
    assert declared_along(DECLARED, [ROOT])[date(2025, 6, 6)] == "กทม."


def test_a_sibling_units_declared_days_do_not_apply():
    merged = declared_along(DECLARED, [ROOT, DEPARTMENT, DIVISION])
    assert date(2025, 9, 9) not in merged
    assert date(2025, 8, 8) not in declared_along(DECLARED, [ROOT, SIBLING])


def test_declared_along_leaves_its_input_unchanged():
    before = {key: dict(value) for key, value in DECLARED.items()}
    declared_along(DECLARED, [ROOT, DEPARTMENT, DIVISION])
    assert DECLARED == before


def test_nothing_declared_is_an_empty_calendar():
    assert declared_along({}, [ROOT, DEPARTMENT]) == {}


# --- calendar days -------------------------------------------------------------------------------

def test_dates_between_includes_both_ends():
    assert dates_between(date(2025, 4, 29), date(2025, 5, 2)) == [
        date(2025, 4, 29), date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)]
    assert dates_between(date(2025, 5, 1), date(2025, 5, 1)) == [date(2025, 5, 1)]
    assert dates_between(date(2025, 5, 2), date(2025, 5, 1)) == []


def test_calendar_days_mark_weekends_holidays_and_declared_days_as_not_working():
    declared = declared_along(DECLARED, [ROOT, DEPARTMENT])
    days = {row["date"]: row for row in calendar_days(date(2025, 4, 30), date(2025, 5, 6), declared)}
    assert len(days) == 7
    working = {day for day, row in days.items() if row["working_day"]}
    assert working == {date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 6)}  # 1 May: Labour Day works
    assert days[date(2025, 5, 2)]["holiday_name"] == "ครม.: ทั่วประเทศ"
    assert days[date(2025, 5, 3)]["holiday_name"] is None  # Saturday: a weekend, not a holiday
    assert days[date(2025, 5, 4)]["holiday_name"] is not None  # Coronation Day (a Sunday)
    assert days[date(2025, 5, 5)]["holiday_name"] is not None  # its substitution day
