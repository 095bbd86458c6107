"""Working days: weekends, Thai public and government holidays, declared extra holidays. Pure."""

from __future__ import annotations

from datetime import date
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
