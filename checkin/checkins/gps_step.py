"""Step 1 of the check-in decision (PRODUCT.md): the GPS fix against the candidate fences.

Pure: no Flask, no SQLAlchemy. The photo fallback later turns GPS_DRIFT into a photo decision,
but only within the site's photo band: a bounded distance and a bounded accuracy radius.
"""

from __future__ import annotations

from dataclasses import dataclass

from geofences.geometry import Fence, FenceIndex

from . import reasons as R
from .statuses import ACCEPTED, FLAGGED

# Android and iOS report a 68 % radius; for a 2-D normal error the 95 % radius is 1.62 x that.
RADIUS_95_PER_68 = 1.62
# No phone's GNSS is this good: an accuracy under 1 m comes from a spoofing app or a bug.
MIN_PLAUSIBLE_ACCURACY_M = 1.0

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
    # GPS drift (or inside with a poor fix) within the site's photo band: the photo decides.
    photo_may_decide: bool = False


def decide_gps(fix: GpsFix | None, candidates: FenceIndex, mock_location: bool = False) -> GpsDecision:
    flags = [R.MOCK_LOCATION] if mock_location else []

    if len(candidates) == 0:
        return GpsDecision(FLAGGED, None, None, None, [R.NO_SITE_ASSIGNED, *flags])
    if fix is None or fix.is_no_fix:
        return GpsDecision(FLAGGED, None, None, None, [R.NO_GPS_FIX, *flags])
    if fix.accuracy_m < MIN_PLAUSIBLE_ACCURACY_M:
        flags.append(R.IMPLAUSIBLE_ACCURACY)

    radius = fix.radius_95_m
    fence, distance = _judging_fence(fix, candidates)
    poor_fix = radius > fence.max_accuracy_m
    within_photo_band = radius <= fence.photo_max_radius_m
    photo_may_decide = False
    if distance == 0:
        found = [R.INSIDE_GEOFENCE, R.LOW_ACCURACY] if poor_fix else [R.INSIDE_GEOFENCE]
        photo_may_decide = poor_fix and within_photo_band
    elif distance <= radius + fence.drift_tolerance_m and distance <= fence.photo_max_distance_m:
        if within_photo_band:
            found = [R.GPS_DRIFT, R.LOW_ACCURACY] if poor_fix else [R.GPS_DRIFT]
            photo_may_decide = True
        else:  # only an inflated radius reaches the fence: no photo rescues that
            found = [R.OUTSIDE_GEOFENCE, R.LOW_ACCURACY]
    else:
        found = [R.OUTSIDE_GEOFENCE, R.LOW_ACCURACY] if poor_fix else [R.OUTSIDE_GEOFENCE]
    found += flags

    accepted = found == [R.INSIDE_GEOFENCE]
    return GpsDecision(
        status=ACCEPTED if accepted else FLAGGED,
        method="gps" if accepted else None,
        site_id=fence.site_id,
        distance_m=round(distance, 1),
        reasons=found,
        photo_may_decide=photo_may_decide,
    )


def _judging_fence(fix: GpsFix, candidates: FenceIndex) -> tuple[Fence, float]:
    """The fence that judges the fix: the nearest that holds it or whose own drift band reaches
    it (a farther site with a wider band still counts), else simply the nearest."""
    radius = fix.radius_95_m
    near = candidates.within(fix.longitude, fix.latitude, radius + candidates.max_drift_tolerance_m)
    for fence, distance in near:
        if distance <= radius + fence.drift_tolerance_m:
            return fence, distance
    return near[0] if near else candidates.nearest(fix.longitude, fix.latitude)
