"""Working days: weekends, Thai public and government holidays, declared extra holidays. Pure."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

# Labour Day is a private-sector holiday; government offices work (PRODUCT.md).
PRIVATE_SECTOR_ONLY = ("Labor Day", "Labour Day")


@lru_cache(maxsize=64)
def thai_holidays(year: int) -> dict[date, str]:
    """Thailand's public + government holidays of a year, Thai names, without Labour Day."""
    english = holidays.country_holidays("TH", years=year, categories=("public", "government"), language="en_US")
    thai = holidays.country_holidays("TH", years=year, categories=("public", "government"), language="th")
    return {day: thai.get(day) for day, name in english.items()
            if not any(word in name for word in PRIVATE_SECTOR_ONLY)}


def holiday_name(day: date, declared: dict[date, str]) -> str | None:
    """The holiday's name, or None on an ordinary day (weekends are not holidays here)."""
    return declared.get(day) or thai_holidays(day.year).get(day)


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def dates_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def declared_along(declared: dict[int | None, dict[date, str]], chain: list[int]) -> dict[date, str]:
    """The declared holidays that apply to a unit: everyone's, then each ancestor's and its own
    (`chain` root first, as `Units.chain` gives it)."""
    merged = dict(declared.get(None, {}))
    for unit_id in chain:
        merged.update(declared.get(unit_id, {}))
    return merged


def calendar_days(start: date, end: date, declared: dict[date, str]) -> list[dict]:
    """Each day of the range: its holiday name, and whether it is a working day."""
    days = []
    for day in dates_between(start, end):
        name = holiday_name(day, declared)
        days.append({"date": day, "holiday_name": name, "working_day": not is_weekend(day) and name is None})
    return days
