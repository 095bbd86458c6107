"""Signals that always flag a check-in (PRODUCT.md step 3), pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from geofences.geometry import geodesic_distance_m

MAX_CLOCK_SKEW = timedelta(minutes=10)
# A fix taken this long before the photo is not where the person checked in (a web app that
# read the position at login, a phone that sends a cached fix).
MAX_POSITION_AGE = timedelta(minutes=2)
# Faster than this over more than MIN_TRAVEL_M, with both accuracy radii discounted, is not a
# commute in Bangkok traffic (PRODUCT.md: flag above about 150-250 km/h over more than 1 km).
MAX_SPEED_KMH = 200.0
MIN_TRAVEL_M = 1000.0


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    radius_95_m: float
    at: datetime


def clock_skewed(received_at: datetime, *claimed: datetime | None) -> bool:
    """Any claimed capture time (the form's, the photo's EXIF) far from server time."""
    return any(claim is not None and abs(received_at - claim) > MAX_CLOCK_SKEW for claim in claimed)


def sent_late(received_at: datetime, captured_at: datetime, sent_at: datetime | None) -> bool:
    """The phone's clock is right when it sends (`sent_at` near server time) but the check-in was
    made well before: it waited in the phone's offline queue. A person confirms it (the time it
    claims cannot be proven), but it is not a wrong clock."""
    return (sent_at is not None and abs(received_at - sent_at) <= MAX_CLOCK_SKEW
            and received_at - captured_at > MAX_CLOCK_SKEW and captured_at <= sent_at)


def position_stale(captured_at: datetime, position_at: datetime | None) -> bool:
    """The fix is much older than the photo (not sent: nothing to judge)."""
    return position_at is not None and captured_at - position_at > MAX_POSITION_AGE


def impossible_travel(previous: Position | None, current: Position | None) -> bool:
    if previous is None or current is None:
        return False
    distance = geodesic_distance_m(previous.longitude, previous.latitude, current.longitude, current.latitude)
    distance -= previous.radius_95_m + current.radius_95_m
    if distance <= MIN_TRAVEL_M:
        return False
    hours = abs((current.at - previous.at).total_seconds()) / 3600
    return hours == 0 or distance / 1000 / hours > MAX_SPEED_KMH
