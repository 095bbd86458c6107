"""Punch times as clocks and Thai spreadsheets write them (checkin.timekeeping.clock_times)."""

from datetime import datetime, timedelta, timezone

import pytest

from checkin.timekeeping.clock_times import ClockTimeError, parse_clock_time

BANGKOK = timezone(timedelta(hours=7))


def bangkok(*parts) -> datetime:
    return datetime(*parts, tzinfo=BANGKOK)


@pytest.mark.parametrize("text, expected", [
    ("01/04/2568 08:25", bangkok(2025, 4, 1, 8, 25)),           # Buddhist Era, as a Thai office writes it
    ("01/04/2025 08:25:30", bangkok(2025, 4, 1, 8, 25, 30)),    # Christian era
    ("1/4/2568 8:25", bangkok(2025, 4, 1, 8, 25)),              # Excel drops leading zeros
    ("29/02/2567 08:00", bangkok(2024, 2, 29, 8)),               # BE 2567 = 2024, a leap year
    ("2025-04-01 08:25:00", bangkok(2025, 4, 1, 8, 25)),        # ZKTeco's log: Bangkok time
    ("2025-04-01T08:25", bangkok(2025, 4, 1, 8, 25)),
    ("2568-04-01T08:25:00", bangkok(2025, 4, 1, 8, 25)),
    ("  01/04/2568 08:25  ", bangkok(2025, 4, 1, 8, 25)),
])
def test_times_without_an_offset_are_bangkok_time_and_buddhist_years_are_converted(text, expected):
    at = parse_clock_time(text)
    assert at == expected and at.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize("text, utc", [
    ("2025-04-01T08:25:00+07:00", datetime(2025, 4, 1, 1, 25, tzinfo=timezone.utc)),
    ("2025-04-01T01:25:00Z", datetime(2025, 4, 1, 1, 25, tzinfo=timezone.utc)),
    ("2025-04-01T03:25:00+09:00", datetime(2025, 3, 31, 18, 25, tzinfo=timezone.utc)),
])
def test_a_time_with_an_offset_keeps_it(text, utc):
    assert parse_clock_time(text) == utc


def test_the_original_format_parses_as_it_always_did():
    # Import keys are made from at.isoformat(): the same text must give the same string as before.
    text = "2025-04-01T08:25:00+07:00"
    assert parse_clock_time(text).isoformat() == datetime.fromisoformat(text).isoformat()
    assert parse_clock_time("2025-04-01 08:25:00").isoformat() == "2025-04-01T08:25:00+07:00"


@pytest.mark.parametrize("text, english, thai", [
    ("31/02/2568 08:25", "no date and time '31/02/2568 08:25'", "ไม่มีวันเวลา '31/02/2568 08:25' ในปฏิทิน"),
    ("01/04/2568 24:00", "no date and time", "ในปฏิทิน"),
    ("2025-02-29 08:00", "no date and time", "ในปฏิทิน"),
    ("2568-02-29 08:00:00", "no date and time", "ในปฏิทิน"),  # BE 2568 = 2025: no 29 February
    ("01/04/2568", "has no time of day", "ไม่มีเวลา"),
    ("2025-04-01", "has no time of day", "ไม่มีเวลา"),
    ("01/04/68 08:25", "is not a date and time we read", "อ่านวันเวลา '01/04/68 08:25' ไม่ได้"),
    ("เช้า", "is not a date and time we read", "ไม่ได้"),
    ("", "timestamp is empty", "ไม่มีวันเวลา"),
    ("9999-12-31T23:00:00-05:00", "must be between 1900-01-01 and 2199-12-31", "พ.ศ. 2443–2742"),
    ("31/12/2442 23:59", "must be between 1900-01-01 and 2199-12-31", "ต้องอยู่ระหว่าง"),
])
def test_a_bad_time_is_explained_in_english_and_thai(text, english, thai):
    with pytest.raises(ClockTimeError) as raised:
        parse_clock_time(text)
    assert english in raised.value.english and thai in raised.value.thai


def test_the_first_buddhist_year_in_range_is_1900():
    assert parse_clock_time("01/01/2443 00:00") == bangkok(1900, 1, 1)


def test_a_huge_value_is_not_echoed_whole():
    with pytest.raises(ClockTimeError) as raised:
        parse_clock_time("9" * 10_000)
    assert len(raised.value.english) < 200 and len(raised.value.thai) < 200
