"""The GPS step (README "The check-in decision (GPS step)"): every row of its table, on a real
fence at Bangkok City Hall with points placed at known geodesic offsets."""

import pytest

from checkin.checkins.gps_step import RADIUS_95_PER_68, GpsFix, decide_gps
from geofences.geometry import Fence, FenceIndex

from .places import (CENTRE, EAST_EDGE_MIDDLE, NORTH_EDGE_MIDDLE, SITE_ID, SOUTH_WEST_CORNER, city_hall,
                     east_of_fence, fix_at, index, moved, square_east_of)


def outcome(decision):
    return decision.status, decision.method, decision.reasons


# --- accuracy: 68 % vs 95 % -------------------------------------------------------------

def test_a_68_percent_accuracy_becomes_a_95_percent_radius_by_1_62():
    assert RADIUS_95_PER_68 == 1.62
    assert GpsFix(13.75, 100.5, 10).radius_95_m == pytest.approx(16.2)
    assert GpsFix(13.75, 100.5, 10, accuracy_confidence=68).radius_95_m == pytest.approx(16.2)


def test_a_95_percent_accuracy_is_used_as_it_is():
    assert GpsFix(13.75, 100.5, 10, accuracy_confidence=95).radius_95_m == 10


def test_the_same_number_reaches_the_drift_band_as_a_68_radius_but_not_as_a_95_radius():
    # 100 m out; 40 m at 68 % is 64.8 m at 95 %: 64.8 + 50 reaches; 40 m at 95 %: 40 + 50 does not.
    point = east_of_fence(100)
    assert decide_gps(fix_at(point, 40, confidence=68), index()).reasons == ["GPS_DRIFT"]
    assert decide_gps(fix_at(point, 40, confidence=95), index()).reasons == ["OUTSIDE_GEOFENCE"]


def test_a_68_accuracy_is_too_large_sooner_than_the_same_95_accuracy():
    # 70 m at 68 % is 113.4 m > 100 m; 70 m at 95 % is within.
    assert decide_gps(fix_at(CENTRE, 70, 68), index()).reasons == ["INSIDE_GEOFENCE", "LOW_ACCURACY"]
    assert decide_gps(fix_at(CENTRE, 70, 95), index()).reasons == ["INSIDE_GEOFENCE"]


# --- inside ------------------------------------------------------------------------------

def test_inside_with_good_accuracy_is_accepted_by_gps():
    decision = decide_gps(fix_at(CENTRE, 10), index())
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE"])
    assert decision.site_id == SITE_ID
    assert decision.distance_m == 0.0


@pytest.mark.parametrize("point", [EAST_EDGE_MIDDLE, NORTH_EDGE_MIDDLE, SOUTH_WEST_CORNER],
                         ids=["east edge", "north edge", "corner"])
def test_a_point_on_the_boundary_counts_as_inside(point):
    decision = decide_gps(fix_at(point, 5), index())
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE"])
    assert decision.distance_m == 0.0


def test_inside_with_a_radius_exactly_at_max_accuracy_is_still_accepted():
    decision = decide_gps(fix_at(CENTRE, 100, confidence=95), index())
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE"])


def test_inside_with_a_radius_too_large_is_low_accuracy_and_left_to_the_photo():
    decision = decide_gps(fix_at(CENTRE, 100.5, confidence=95), index())
    assert outcome(decision) == ("flagged", None, ["INSIDE_GEOFENCE", "LOW_ACCURACY"])
    assert decision.site_id == SITE_ID
    assert decision.distance_m == 0.0


def test_max_accuracy_is_the_sites_own():
    strict = index(city_hall(max_accuracy_m=20))
    assert decide_gps(fix_at(CENTRE, 15), strict).reasons == ["INSIDE_GEOFENCE", "LOW_ACCURACY"]  # 24.3 m
    assert decide_gps(fix_at(CENTRE, 12), strict).reasons == ["INSIDE_GEOFENCE"]  # 19.4 m


# --- outside: the drift band and beyond ----------------------------------------------------

def test_just_outside_within_radius_plus_drift_tolerance_is_gps_drift():
    # 10 m at 68 % = 16.2 m radius; + 50 m tolerance = 66.2 m.
    decision = decide_gps(fix_at(east_of_fence(65), 10), index())
    assert outcome(decision) == ("flagged", None, ["GPS_DRIFT"])
    assert decision.site_id == SITE_ID
    assert decision.distance_m == pytest.approx(65, abs=0.1)


def test_just_beyond_radius_plus_drift_tolerance_is_outside():
    decision = decide_gps(fix_at(east_of_fence(67.5), 10), index())
    assert outcome(decision) == ("flagged", None, ["OUTSIDE_GEOFENCE"])
    assert decision.site_id == SITE_ID
    assert decision.distance_m == pytest.approx(67.5, abs=0.1)


@pytest.mark.parametrize("azimuth, start", [(0, NORTH_EDGE_MIDDLE), (90, EAST_EDGE_MIDDLE)], ids=["north", "east"])
def test_the_drift_band_is_measured_in_metres_in_every_direction(azimuth, start):
    # A degree of longitude is ~3 % shorter than one of latitude in Bangkok: metres must not care.
    assert decide_gps(fix_at(moved(start, azimuth, 65), 10), index()).reasons == ["GPS_DRIFT"]
    assert decide_gps(fix_at(moved(start, azimuth, 67.5), 10), index()).reasons == ["OUTSIDE_GEOFENCE"]


def test_a_point_a_few_kilometres_away_is_outside_and_never_accepted():
    decision = decide_gps(fix_at(east_of_fence(5000), 10), index())
    assert outcome(decision) == ("flagged", None, ["OUTSIDE_GEOFENCE"])
    assert decision.distance_m == pytest.approx(5000, abs=0.5)


def test_drift_tolerance_is_the_sites_own():
    point = east_of_fence(30)
    assert decide_gps(fix_at(point, 5), index(city_hall(drift_tolerance_m=50))).reasons == ["GPS_DRIFT"]
    assert decide_gps(fix_at(point, 5), index(city_hall(drift_tolerance_m=0))).reasons == ["OUTSIDE_GEOFENCE"]


def test_drift_with_a_radius_above_max_accuracy_says_both():
    # 70 m at 68 % = 113.4 m > 100 m (GPS alone) but within the 150 m photo band; 140 m out is
    # within 113.4 + 50 and within the band's 150 m.
    decision = decide_gps(fix_at(east_of_fence(140), 70), index())
    assert (decision.reasons, decision.photo_may_decide) == (["GPS_DRIFT", "LOW_ACCURACY"], True)


def test_outside_with_a_radius_above_max_accuracy_says_both():
    assert decide_gps(fix_at(east_of_fence(500), 70), index()).reasons == ["OUTSIDE_GEOFENCE", "LOW_ACCURACY"]


@pytest.mark.parametrize("metres, accuracy, reasons", [
    (3000, 2000, ["OUTSIDE_GEOFENCE", "LOW_ACCURACY"]),  # used to be GPS drift: the band grew with the claim
    (50_000, 99_999, ["OUTSIDE_GEOFENCE", "LOW_ACCURACY"]),
    (160, 60, ["OUTSIDE_GEOFENCE"]),  # beyond 97 m + 50 m, and beyond the band's 150 m
    (140, 95, ["OUTSIDE_GEOFENCE", "LOW_ACCURACY"]),  # 154 m radius: beyond the photo band's 150 m
])
def test_the_photo_band_is_bounded_in_distance_and_radius(metres, accuracy, reasons):
    decision = decide_gps(fix_at(east_of_fence(metres), accuracy), index())
    assert (decision.reasons, decision.photo_may_decide) == (reasons, False)


def test_the_photo_band_is_the_sites_own():
    point = east_of_fence(120)
    assert decide_gps(fix_at(point, 50), index(city_hall(photo_max_distance_m=150))).photo_may_decide
    narrow = decide_gps(fix_at(point, 50), index(city_hall(photo_max_distance_m=100)))
    assert (narrow.reasons, narrow.photo_may_decide) == (["OUTSIDE_GEOFENCE"], False)
    tight = decide_gps(fix_at(point, 50), index(city_hall(photo_max_radius_m=60)))
    assert (tight.reasons, tight.photo_may_decide) == (["OUTSIDE_GEOFENCE", "LOW_ACCURACY"], False)


def test_inside_with_a_radius_beyond_the_photo_band_is_flagged_and_no_photo_rescues_it():
    poor = decide_gps(fix_at(CENTRE, 80), index())  # 130 m: above 100 m, within 150 m
    assert (poor.reasons, poor.photo_may_decide) == (["INSIDE_GEOFENCE", "LOW_ACCURACY"], True)
    worse = decide_gps(fix_at(CENTRE, 1000), index())
    assert (worse.reasons, worse.photo_may_decide, worse.status) == (["INSIDE_GEOFENCE", "LOW_ACCURACY"], False,
                                                                     "flagged")


@pytest.mark.parametrize("accuracy", [0.01, 0.5, 0.99])
def test_an_accuracy_under_one_metre_is_implausible_and_flags(accuracy):
    decision = decide_gps(fix_at(CENTRE, accuracy), index())
    assert outcome(decision) == ("flagged", None, ["INSIDE_GEOFENCE", "IMPLAUSIBLE_ACCURACY"])
    assert decide_gps(fix_at(CENTRE, 1.0), index()).status == "accepted"


def test_a_farther_site_with_a_wider_drift_band_still_judges_the_fix():
    """The nearest fence's tolerance used to decide alone: a second site whose own band reaches
    the fix was ignored."""
    point = east_of_fence(60)
    near_strict = city_hall(drift_tolerance_m=0)
    wide = Fence.from_geojson(2, square_east_of(point, 90), 120, 100)
    assert decide_gps(fix_at(point, 5), index(near_strict)).reasons == ["OUTSIDE_GEOFENCE"]
    decision = decide_gps(fix_at(point, 5), index(near_strict, wide))
    assert (decision.reasons, decision.site_id, decision.distance_m) == (["GPS_DRIFT"], 2, pytest.approx(90, abs=1))


# --- no fix, no site ---------------------------------------------------------------------

def test_no_position_is_no_gps_fix():
    decision = decide_gps(None, index())
    assert outcome(decision) == ("flagged", None, ["NO_GPS_FIX"])
    assert (decision.site_id, decision.distance_m) == (None, None)


def test_zero_zero_is_no_gps_fix():
    assert GpsFix(0, 0, 5).is_no_fix
    decision = decide_gps(GpsFix(0.0, 0.0, 5), index())
    assert outcome(decision) == ("flagged", None, ["NO_GPS_FIX"])
    assert (decision.site_id, decision.distance_m) == (None, None)


def test_only_exactly_zero_zero_means_no_fix():
    assert not GpsFix(0.0, 100.5, 5).is_no_fix
    assert not GpsFix(13.75, 0.0, 5).is_no_fix


def test_no_candidate_site_is_no_site_assigned():
    decision = decide_gps(fix_at(CENTRE, 5), FenceIndex([]))
    assert outcome(decision) == ("flagged", None, ["NO_SITE_ASSIGNED"])
    assert (decision.site_id, decision.distance_m) == (None, None)


def test_no_site_is_reported_before_no_fix():
    assert decide_gps(None, FenceIndex([])).reasons == ["NO_SITE_ASSIGNED"]


# --- mock location -----------------------------------------------------------------------

def test_mock_location_flags_an_otherwise_perfect_inside_fix():
    decision = decide_gps(fix_at(CENTRE, 5), index(), mock_location=True)
    assert outcome(decision) == ("flagged", None, ["INSIDE_GEOFENCE", "MOCK_LOCATION"])
    assert decision.site_id == SITE_ID


@pytest.mark.parametrize("fix, fences, first", [
    (fix_at(east_of_fence(65), 10), index(), "GPS_DRIFT"),
    (fix_at(east_of_fence(5000), 10), index(), "OUTSIDE_GEOFENCE"),
    (None, index(), "NO_GPS_FIX"),
    (GpsFix(0, 0, 5), index(), "NO_GPS_FIX"),
    (fix_at(CENTRE, 5), FenceIndex([]), "NO_SITE_ASSIGNED"),
], ids=["drift", "outside", "no position", "zero zero", "no site"])
def test_mock_location_is_added_to_every_outcome_and_never_accepts(fix, fences, first):
    decision = decide_gps(fix, fences, mock_location=True)
    assert outcome(decision) == ("flagged", None, [first, "MOCK_LOCATION"])


def test_no_mock_flag_means_no_mock_reason():
    assert "MOCK_LOCATION" not in decide_gps(fix_at(CENTRE, 5), index(), mock_location=False).reasons


# --- several candidate sites --------------------------------------------------------------

def test_the_site_is_the_fence_the_point_is_in_among_several_candidates():
    far_east = {"type": "Polygon", "coordinates": [[[100.5100, 13.7525], [100.5118, 13.7525], [100.5118, 13.7540],
                                                    [100.5100, 13.7540], [100.5100, 13.7525]]]}
    fences = index(city_hall(site_id=1), Fence.from_geojson(2, far_east, 50, 100))
    assert decide_gps(fix_at(CENTRE, 5), fences).site_id == 1
    assert decide_gps(fix_at((100.5109, 13.7532), 5), fences).site_id == 2
    near_second = decide_gps(fix_at(moved((100.5100, 13.75325), 270, 40), 5), fences)
    assert (near_second.site_id, near_second.reasons) == (2, ["GPS_DRIFT"])
