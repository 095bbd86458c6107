"""Step 1 of the check-in decision (PRODUCT.md): the GPS fix against the candidate fences.

Pure: no Flask, no SQLAlchemy. The photo fallback later turns GPS_DRIFT into a photo decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from geofences.geometry import FenceIndex

from . import reasons as R
from .statuses import ACCEPTED, FLAGGED

# Android and iOS report a 68 % radius; for a 2-D normal error the 95 % radius is 1.62 x that.
RADIUS_95_PER_68 = 1.62

@dataclass(frozen=True)
class GpsFix:
    latitude: float
    longitude: float
    accuracy_m: float
    accuracy_confidence: int = 68

    @property
    def radius_95_m(self) -> float:
        factor = RADIUS_95_PER_68 if self.accuracy_confidence == 68 else 1.0
        return self.accuracy_m * factor

    @property
    def is_no_fix(self) -> bool:
        """(0, 0) is what several stacks send when they have nothing."""
        return self.latitude == 0 and self.longitude == 0


@dataclass(frozen=True)
class GpsDecision:
    status: str
    method: str | None
    site_id: int | None
    distance_m: float | None
    reasons: list[str]


def decide_gps(fix: GpsFix | None, candidates: FenceIndex, mock_location: bool = False) -> GpsDecision:
    flags = [R.MOCK_LOCATION] if mock_location else []

    if len(candidates) == 0:
        return GpsDecision(FLAGGED, None, None, None, [R.NO_SITE_ASSIGNED, *flags])
    if fix is None or fix.is_no_fix:
        return GpsDecision(FLAGGED, None, None, None, [R.NO_GPS_FIX, *flags])

    radius = fix.radius_95_m
    near = candidates.within(fix.longitude, fix.latitude, radius + candidates.max_drift_tolerance_m)
    fence, distance = near[0] if near else candidates.nearest(fix.longitude, fix.latitude)

    if distance == 0:
        found = [R.INSIDE_GEOFENCE]
    elif distance <= radius + fence.drift_tolerance_m:
        found = [R.GPS_DRIFT]
    else:
        found = [R.OUTSIDE_GEOFENCE]
    if radius > fence.max_accuracy_m:
        found.append(R.LOW_ACCURACY)
    found += flags

    accepted = found == [R.INSIDE_GEOFENCE]
    return GpsDecision(
        status=ACCEPTED if accepted else FLAGGED,
        method="gps" if accepted else None,
        site_id=fence.site_id,
        distance_m=round(distance, 1),
        reasons=found,
    )
