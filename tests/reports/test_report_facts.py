"""Reading check-in times as the database drivers hand them back (checkin.reports.facts._bangkok)."""

from datetime import datetime, timedelta, timezone

from checkin.reports.facts import _bangkok
from checkin.timezones import BANGKOK


def test_sqlite_text_is_utc_and_comes_back_in_bangkok_time():
    moment = _bangkok("2025-04-01 01:30:59.250000")  # as UTCDateTime stores it on SQLite: naive UTC
    assert moment == datetime(2025, 4, 1, 8, 30, 59, 250000, tzinfo=BANGKOK)
    assert moment.tzinfo is BANGKOK and moment.time().isoformat() == "08:30:59.250000"


def test_sqlite_text_without_fraction_and_across_midnight():
    assert _bangkok("2025-03-31 17:00:00") == datetime(2025, 4, 1, 0, 0, tzinfo=BANGKOK)


def test_postgresql_aware_datetimes_keep_their_instant():
    utc = datetime(2025, 4, 1, 1, 30, tzinfo=timezone.utc)
    other_zone = utc.astimezone(timezone(timedelta(hours=-5)))
    assert _bangkok(utc) == _bangkok(other_zone) == datetime(2025, 4, 1, 8, 30, tzinfo=BANGKOK)
    assert _bangkok(other_zone).tzinfo is BANGKOK


def test_no_check_in_is_none():
    assert _bangkok(None) is None
