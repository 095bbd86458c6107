"""The GPS decision rules, pure (no HTTP, no database)."""

import pytest

from checkin.checkins.gps_step import GpsFix, decide_gps
from geofences.geometry import Fence, FenceIndex

SQUARE = {"type": "Polygon", "coordinates": [[[100.499, 13.752], [100.501, 13.752], [100.501, 13.754],
                                              [100.499, 13.754], [100.499, 13.752]]]}


def index(drift=50.0, max_accuracy=100.0):
    return FenceIndex([Fence.from_geojson(7, SQUARE, drift, max_accuracy)])


def test_68_percent_radius_is_scaled_to_95_percent():
    assert GpsFix(13.75, 100.5, 10).radius_95_m == pytest.approx(16.2)
    assert GpsFix(13.75, 100.5, 10, accuracy_confidence=95).radius_95_m == 10


def test_drift_band_is_95_percent_radius_plus_tolerance():
    # The point is 108.15 m east of the fence; radius 95 % = 36 x 1.62 = 58.3 m; + 50 m = 108.3 m.
    inside_band = decide_gps(GpsFix(13.753, 100.502, 36), index())
    outside_band = decide_gps(GpsFix(13.753, 100.502, 35), index())
    assert inside_band.reasons == ["GPS_DRIFT"]
    assert outside_band.reasons == ["OUTSIDE_GEOFENCE"]
    assert inside_band.site_id == outside_band.site_id == 7


def test_drift_with_poor_accuracy_says_both():
    decision = decide_gps(GpsFix(13.753, 100.502, 70), index(max_accuracy=100))
    assert decision.reasons == ["GPS_DRIFT", "LOW_ACCURACY"]


def test_accuracy_at_the_limit_is_accepted():
    decision = decide_gps(GpsFix(13.753, 100.5, 100, accuracy_confidence=95), index(max_accuracy=100))
    assert (decision.status, decision.method, decision.reasons) == ("accepted", "gps", ["INSIDE_GEOFENCE"])


def test_mock_location_flags_an_otherwise_perfect_fix():
    decision = decide_gps(GpsFix(13.753, 100.5, 5), index(), mock_location=True)
    assert (decision.status, decision.method) == ("flagged", None)
    assert decision.reasons == ["INSIDE_GEOFENCE", "MOCK_LOCATION"]


def test_no_candidates_and_no_fix():
    assert decide_gps(GpsFix(13.753, 100.5, 5), FenceIndex([])).reasons == ["NO_SITE_ASSIGNED"]
    assert decide_gps(None, index()).reasons == ["NO_GPS_FIX"]
    assert decide_gps(GpsFix(0, 0, 5), index(), mock_location=True).reasons == ["NO_GPS_FIX", "MOCK_LOCATION"]


def test_the_fence_containing_the_point_wins_over_a_nearer_edge():
    other = {"type": "Polygon", "coordinates": [[[100.5011, 13.752], [100.503, 13.752], [100.503, 13.754],
                                                 [100.5011, 13.754], [100.5011, 13.752]]]}
    both = FenceIndex([Fence.from_geojson(8, other, 50, 100), Fence.from_geojson(7, SQUARE, 50, 100)])
    decision = decide_gps(GpsFix(13.753, 100.5010, 5), both)
    assert (decision.site_id, decision.distance_m, decision.status) == (7, 0.0, "accepted")
