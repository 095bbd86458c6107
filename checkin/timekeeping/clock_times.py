"""Punch times as time clocks and Thai spreadsheets write them. Pure.

Accepted: ISO 8601 with an offset (2025-04-01T08:25:00+07:00, the original import format), ISO
8601 without one (2025-04-01 08:25:00, as ZKTeco clocks write their log), and day/month/year
(01/04/2568 08:25 or 1/4/2025 8:25:00, as Excel shows dates to a Thai office). A time without an
offset is Bangkok's: the clocks hang on Thai walls and know no time zone.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..timezones import BANGKOK, EARLIEST_DAY, LATEST_DAY

BUDDHIST_ERA_OFFSET = 543
# Thai offices write years in the Buddhist Era (2568 = 2025). Above 2400 a year can only be one:
# the accepted dates end in 2199, and BE 2400 was 1857, before any record of ours.
BUDDHIST_ERA_FROM = 2401

DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?")
ISO_YEAR = re.compile(r"^(\d{4})(?=-)")
HAS_TIME_OF_DAY = re.compile(r"[T ]\d")
DATE_ONLY = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}")
ISO_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
EXAMPLES = "2025-04-01T08:25:00+07:00, 2025-04-01 08:25:00 or 01/04/2568 08:25"
EXAMPLES_TH = "2025-04-01T08:25:00+07:00, 2025-04-01 08:25:00 หรือ 01/04/2568 08:25"


class ClockTimeError(ValueError):
    """A timestamp that is not a time of ours, explained in English and in Thai."""

    def __init__(self, english: str, thai: str):
        super().__init__(english)
        self.english = english
        self.thai = thai


def shown(value: str, limit: int = 40) -> str:
    """A value quoted in a message, cut short: a problem line must not echo a whole bad file."""
    return value if len(value) <= limit else value[:limit] + "…"


def christian_year(year: int) -> int:
    return year - BUDDHIST_ERA_OFFSET if year >= BUDDHIST_ERA_FROM else year


def parse_clock_time(text: str) -> datetime:
    """An aware datetime (Bangkok's offset when the text has none), or ClockTimeError."""
    text = text.strip()
    if not text:
        raise ClockTimeError("timestamp is empty", "ไม่มีวันเวลา")
    if DATE_ONLY.fullmatch(text):
        raise ClockTimeError(f"timestamp {shown(text)!r} has no time of day (hour:minute)",
                             f"วันเวลา '{shown(text)}' ไม่มีเวลา (ชั่วโมง:นาที)")
    match = DAY_MONTH_YEAR.fullmatch(text)
    at = _from_day_month_year(text, match) if match else _from_iso(text)
    if at.tzinfo is None:
        at = at.replace(tzinfo=BANGKOK)
    if not EARLIEST_DAY <= at.date() <= LATEST_DAY:  # stored in UTC: year 1 or 9999 overflows (a 500)
        raise ClockTimeError(f"timestamp must be between {EARLIEST_DAY} and {LATEST_DAY}",
                             f"วันเวลาต้องอยู่ระหว่าง {EARLIEST_DAY} ถึง {LATEST_DAY} (พ.ศ. "
                             f"{EARLIEST_DAY.year + BUDDHIST_ERA_OFFSET}–{LATEST_DAY.year + BUDDHIST_ERA_OFFSET})")
    return at


def _from_day_month_year(text: str, match: re.Match) -> datetime:
    day, month, year, hour, minute, second = (int(part or 0) for part in match.groups())
    try:
        return datetime(christian_year(year), month, day, hour, minute, second)
    except ValueError:  # 31/02/2568, 13/13/2568, 24:00
        raise _no_such_time(text) from None


def _from_iso(text: str) -> datetime:
    if not HAS_TIME_OF_DAY.search(text):
        raise _unreadable(text)
    # The year is rewritten before parsing: 29 February of BE 2567 (CE 2024) is a date, though
    # 2567 itself is no leap year.
    christian = ISO_YEAR.sub(lambda year: f"{christian_year(int(year[1])):04d}", text)
    try:
        return datetime.fromisoformat(christian)
    except ValueError:
        raise (_no_such_time(text) if ISO_SHAPE.match(text) else _unreadable(text)) from None


def _no_such_time(text: str) -> ClockTimeError:
    return ClockTimeError(f"there is no date and time {shown(text)!r} in the calendar",
                          f"ไม่มีวันเวลา '{shown(text)}' ในปฏิทิน")


def _unreadable(text: str) -> ClockTimeError:
    return ClockTimeError(f"timestamp {shown(text)!r} is not a date and time we read; write e.g. {EXAMPLES}",
                          f"อ่านวันเวลา '{shown(text)}' ไม่ได้ ใช้รูปแบบเช่น {EXAMPLES_TH}")
