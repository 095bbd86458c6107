"""Arrival and departure from punches that do not say which (checkin.timekeeping.first_and_last)."""

from datetime import date, datetime, timedelta, timezone

from checkin.timekeeping.first_and_last import first_and_last

BANGKOK = timezone(timedelta(hours=7))


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 4, day, hour, minute, second, tzinfo=BANGKOK)


def test_the_first_punch_of_the_day_arrives_the_last_departs_and_those_between_are_ignored():
    punches = [("A", at(1, 12, 5)), ("A", at(1, 16, 35)), ("A", at(1, 8, 25)), ("A", at(1, 13, 0))]
    assert first_and_last(punches, {}) == [None, "out", "in", None]


def test_a_single_punch_is_an_arrival_only():
    assert first_and_last([("A", at(1, 16, 35))], {}) == ["in"]


def test_each_employee_and_each_bangkok_day_is_its_own():
    punches = [("A", at(1, 8)), ("B", at(1, 9)), ("A", at(1, 17)), ("A", at(2, 8)),
               ("A", datetime(2025, 4, 1, 17, 30, tzinfo=timezone.utc))]  # 00:30 on 2 April in Bangkok
    assert first_and_last(punches, {}) == ["in", "in", "out", "out", "in"]


def test_a_repeat_at_the_clock_is_not_a_departure_but_a_quarter_of_an_hour_later_is():
    assert first_and_last([("A", at(1, 8, 25, 1)), ("A", at(1, 8, 25, 40))], {}) == ["in", None]
    assert first_and_last([("A", at(1, 8, 25)), ("A", at(1, 8, 39, 59))], {}) == ["in", None]
    assert first_and_last([("A", at(1, 8, 25)), ("A", at(1, 8, 40))], {}) == ["in", "out"]


def test_the_same_instant_twice_is_one_arrival():
    assert first_and_last([("A", at(1, 8)), ("A", at(1, 8)), ("A", at(1, 17))], {}) == ["in", None, "out"]


def test_punches_imported_before_count_the_day_split_over_two_files_has_one_arrival():
    earlier = {("A", date(2025, 4, 1)): [at(1, 8, 20)]}
    assert first_and_last([("A", at(1, 12)), ("A", at(1, 16, 35))], earlier) == [None, "out"]
    assert first_and_last([("A", at(1, 8, 5))], earlier) == ["in"]  # earlier than anything before
    later = {("A", date(2025, 4, 1)): [at(1, 16, 35)]}
    assert first_and_last([("A", at(1, 8, 20)), ("A", at(1, 12))], later) == ["in", None]


def test_a_file_imported_again_gives_every_punch_the_kind_it_had():
    punches = [("A", at(1, 8, 25)), ("A", at(1, 12)), ("A", at(1, 16, 35))]
    kinds = first_and_last(punches, {})
    stored = {("A", date(2025, 4, 1)): [when for (_, when), kind in zip(punches, kinds) if kind]}
    assert first_and_last(punches, stored) == kinds == ["in", None, "out"]
