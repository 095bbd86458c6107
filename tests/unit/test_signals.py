"""The always-flag signals (checkin.verification.signals): clock skew and impossible travel."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from checkin.verification.signals import (MAX_CLOCK_SKEW, MAX_SPEED_KMH, MIN_TRAVEL_M, Position, clock_skewed,
                                         impossible_travel)

from .places import CENTRE, moved

SERVER = datetime(2025, 6, 10, 1, 30, tzinfo=timezone.utc)  # 08:30 in Bangkok
BANGKOK = ZoneInfo("Asia/Bangkok")


# --- clock skew -----------------------------------------------------------------------------

def test_the_limits_are_10_minutes_200_kmh_and_1_km():
    assert (MAX_CLOCK_SKEW, MAX_SPEED_KMH, MIN_TRAVEL_M) == (timedelta(minutes=10), 200.0, 1000.0)


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(minutes=9, seconds=59), timedelta(minutes=10),
                                    -timedelta(minutes=10)])
def test_a_capture_time_within_10_minutes_of_the_server_is_fine(offset):
    assert not clock_skewed(SERVER, SERVER + offset)


@pytest.mark.parametrize("offset", [timedelta(minutes=10, seconds=1), timedelta(hours=3), timedelta(days=1)])
def test_a_capture_time_in_the_past_beyond_10_minutes_is_skewed(offset):
    assert clock_skewed(SERVER, SERVER - offset)  # an offline queue, or a clock set back


@pytest.mark.parametrize("offset", [timedelta(minutes=10, seconds=1), timedelta(hours=3)])
def test_a_capture_time_in_the_future_beyond_10_minutes_is_skewed(offset):
    assert clock_skewed(SERVER, SERVER + offset)  # a clock set forward


def test_the_same_instant_in_another_time_zone_is_not_skewed():
    assert not clock_skewed(SERVER, SERVER.astimezone(BANGKOK))
    assert clock_skewed(SERVER, SERVER.replace(tzinfo=BANGKOK))  # 08:30 wall time read as Bangkok: 7 h off


def test_the_photos_exif_time_is_considered_too():
    assert clock_skewed(SERVER, SERVER, SERVER - timedelta(hours=2))
    assert clock_skewed(SERVER, SERVER - timedelta(hours=2), SERVER)
    assert not clock_skewed(SERVER, SERVER - timedelta(minutes=2), SERVER + timedelta(minutes=3))


def test_a_missing_exif_time_is_ignored():
    assert not clock_skewed(SERVER, SERVER, None)
    assert clock_skewed(SERVER, SERVER - timedelta(hours=1), None)
    assert not clock_skewed(SERVER)
    assert not clock_skewed(SERVER, None, None)


# --- impossible travel -------------------------------------------------------------------------

def at(lon_lat, minutes_after=0.0, radius_m=0.0):
    return Position(latitude=lon_lat[1], longitude=lon_lat[0], radius_95_m=radius_m,
                    at=SERVER + timedelta(minutes=minutes_after))


def test_ten_kilometres_in_two_minutes_is_impossible():
    assert impossible_travel(at(CENTRE), at(moved(CENTRE, 0, 10_000), 2))  # 300 km/h


@pytest.mark.parametrize("minutes, impossible", [(2.86, True), (3.16, False), (60, False)])
def test_ten_kilometres_flags_only_above_200_kmh(minutes, impossible):
    # 10 km in 2.86 min = 210 km/h; in 3.16 min = 190 km/h.
    assert impossible_travel(at(CENTRE), at(moved(CENTRE, 90, 10_000), minutes)) is impossible


@pytest.mark.parametrize("metres", [100, 999])
def test_under_one_kilometre_never_flags_however_fast(metres):
    assert not impossible_travel(at(CENTRE), at(moved(CENTRE, 45, metres), 1 / 60))
    assert not impossible_travel(at(CENTRE), at(moved(CENTRE, 45, metres), 0))


def test_just_over_one_kilometre_in_a_second_flags():
    assert impossible_travel(at(CENTRE), at(moved(CENTRE, 45, 1010), 1 / 60))


def test_both_accuracy_radii_are_discounted_from_the_distance():
    # 1.5 km in 10 s; with 300 m radii on each side only 900 m remain: under 1 km.
    start, end = CENTRE, moved(CENTRE, 180, 1500)
    assert impossible_travel(at(start), at(end, 1 / 6))
    assert not impossible_travel(at(start, radius_m=300), at(end, 1 / 6, radius_m=300))
    assert impossible_travel(at(start, radius_m=200), at(end, 1 / 6, radius_m=200))  # 1.1 km remain
    assert not impossible_travel(at(start, radius_m=600), at(end, 1 / 6))  # one large radius is enough


def test_the_speed_is_measured_after_the_radii_are_discounted():
    # 12 km in 3.4 min is 212 km/h; minus 2 x 500 m of radii, 11 km in 3.4 min is 194 km/h.
    start, end = CENTRE, moved(CENTRE, 0, 12_000)
    assert impossible_travel(at(start), at(end, 3.4))
    assert not impossible_travel(at(start, radius_m=500), at(end, 3.4, radius_m=500))


def test_equal_times_over_more_than_a_kilometre_is_impossible():
    assert impossible_travel(at(CENTRE), at(moved(CENTRE, 0, 5000), 0))


def test_equal_times_in_the_same_place_is_fine():
    assert not impossible_travel(at(CENTRE), at(CENTRE, 0))


def test_the_order_of_the_two_times_does_not_matter():
    far = moved(CENTRE, 270, 50_000)
    assert impossible_travel(at(CENTRE, 10), at(far, 0))  # 50 km in "minus" 10 min
    assert not impossible_travel(at(CENTRE, 60), at(far, 0))  # 50 km/h


def test_without_a_previous_or_current_position_there_is_nothing_to_flag():
    assert not impossible_travel(None, at(CENTRE))
    assert not impossible_travel(at(CENTRE), None)
    assert not impossible_travel(None, None)
