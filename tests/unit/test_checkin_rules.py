"""The whole check-in decision (`decide_checkin`): README "The photo (face + sign)", every case.

GPS decisions come from the real GPS step on the City Hall fence; the face and sign results are
given directly (the photo pipeline itself is not run here).
"""

import itertools

import numpy as np
import pytest

from checkin.checkins import reasons as R
from checkin.checkins.gps_step import GpsFix, decide_gps
from checkin.checkins.rules import (SIGN_PREFERENCE, FaceCheck, FaceReference, SignCheck, decide_checkin,
                                    face_tolerances)
from checkin.checkins.statuses import ACCEPTED, FLAGGED, REJECTED
from geofences.geometry import FenceIndex
from geofences.policy import SitePolicy
from geofences.sign_codes import SignSighting

from .places import CENTRE, SITE_ID, east_of_fence, fix_at, index

# --- the GPS results ----------------------------------------------------------------------

INSIDE = decide_gps(fix_at(CENTRE, 5), index())
INSIDE_POOR = decide_gps(fix_at(CENTRE, 100.5, confidence=95), index())
DRIFT = decide_gps(fix_at(east_of_fence(40), 10), index())
FAR = decide_gps(fix_at(east_of_fence(2000), 10), index())
NO_FIX = decide_gps(None, index())
ZERO_FIX = decide_gps(GpsFix(0, 0, 5), index())
NO_SITE = decide_gps(fix_at(CENTRE, 5), FenceIndex([]))
MOCK_INSIDE = decide_gps(fix_at(CENTRE, 5), index(), mock_location=True)
MOCK_DRIFT = decide_gps(fix_at(east_of_fence(40), 10), index(), mock_location=True)
IMPLAUSIBLE_DRIFT = decide_gps(fix_at(east_of_fence(40), 0.5), index())


def test_the_gps_results_used_here_are_what_their_names_say():
    assert INSIDE.reasons == ["INSIDE_GEOFENCE"] and INSIDE.status == ACCEPTED
    assert INSIDE_POOR.reasons == ["INSIDE_GEOFENCE", "LOW_ACCURACY"]
    assert DRIFT.reasons == ["GPS_DRIFT"]
    assert FAR.reasons == ["OUTSIDE_GEOFENCE"]
    assert NO_FIX.reasons == ZERO_FIX.reasons == ["NO_GPS_FIX"]
    assert NO_SITE.reasons == ["NO_SITE_ASSIGNED"]
    assert MOCK_INSIDE.reasons == ["INSIDE_GEOFENCE", "MOCK_LOCATION"]
    assert MOCK_DRIFT.reasons == ["GPS_DRIFT", "MOCK_LOCATION"]
    assert IMPLAUSIBLE_DRIFT.reasons == ["GPS_DRIFT", "IMPLAUSIBLE_ACCURACY"]


# --- faces and signs ----------------------------------------------------------------------

def face(distance=0.30, count=1, **tolerances):
    """A face checked as the photo path checks it (0.45, uncertain up to 0.6), unless told."""
    return FaceCheck(enrolled=True, examined=True, face_count=count, distance=distance, **tolerances)


def inside_face(distance, count=1):
    """A face checked as inside the fence with a good fix: confirmed up to 0.6."""
    return face(distance, count, **face_tolerances(INSIDE, SitePolicy()))


MATCH = face(0.30)
MISMATCH = face(0.70)
UNCERTAIN = face(0.50)
NO_FACE = face(None, count=0)
TOO_SMALL = face(None, count=1)  # a face was found but too small to encode
TWO_FACES_MATCH = face(0.30, count=2)
TWO_FACES_MISMATCH = face(0.70, count=2)
NOT_ENROLLED = FaceCheck(enrolled=False, examined=False)
NOT_EXAMINED_YET = FaceCheck(enrolled=True, examined=False)  # a worker will look later

SIGN_SITE = 3  # another of the employee's candidate sites
SIGN_MATCH = SignCheck([SignSighting(R.SIGN_MATCH, sign_id=31, site_id=SIGN_SITE)])
SIGN_MISSING = SignCheck([])
SIGN_OTHER_SITE = SignCheck([SignSighting(R.SIGN_OTHER_SITE, sign_id=41, site_id=4)])
SIGN_REVOKED = SignCheck([SignSighting(R.SIGN_REVOKED, sign_id=32, site_id=SIGN_SITE)])
SIGN_EXPIRED = SignCheck([SignSighting(R.SIGN_EXPIRED, sign_id=33, site_id=SIGN_SITE)])
SIGN_INVALID = SignCheck([SignSighting(R.SIGN_INVALID)])


def outcome(decision):
    return decision.status, decision.method, decision.reasons


# --- FaceCheck and SignCheck themselves -------------------------------------------------------

@pytest.mark.parametrize("check, code", [
    (MATCH, "FACE_MATCH"), (MISMATCH, "FACE_MISMATCH"), (UNCERTAIN, "FACE_UNCERTAIN"), (NO_FACE, "NO_FACE"),
    (TOO_SMALL, "FACE_TOO_SMALL"), (NOT_ENROLLED, "NOT_ENROLLED"),
])
def test_face_check_codes(check, code):
    assert check.code == code
    assert check.matched == (code == "FACE_MATCH")


@pytest.mark.parametrize("distance, code", [
    (0.0, "FACE_MATCH"), (0.45, "FACE_MATCH"), (0.4501, "FACE_UNCERTAIN"), (0.6, "FACE_UNCERTAIN"),
    (0.6001, "FACE_MISMATCH"), (1.2, "FACE_MISMATCH"),
])
def test_on_the_photo_path_the_face_matches_up_to_0_45_and_is_uncertain_up_to_0_6(distance, code):
    assert face_tolerances(DRIFT, SitePolicy()) == {"tolerance": 0.45, "uncertain_up_to": 0.6}
    assert face(distance).code == code


@pytest.mark.parametrize("distance, code", [(0.45, "FACE_MATCH"), (0.6, "FACE_MATCH"), (0.6001, "FACE_MISMATCH")])
def test_inside_with_a_good_fix_the_face_confirms_up_to_0_6(distance, code):
    assert face_tolerances(INSIDE, SitePolicy()) == {"tolerance": 0.6, "uncertain_up_to": 0.6}
    assert inside_face(distance).code == code


def test_both_face_bounds_are_the_sites():
    strict = SitePolicy(face_tolerance_inside=0.5, face_tolerance_photo=0.4)
    assert face_tolerances(INSIDE, strict) == {"tolerance": 0.5, "uncertain_up_to": 0.5}
    assert face_tolerances(DRIFT, strict) == face_tolerances(INSIDE_POOR, strict) == {
        "tolerance": 0.4, "uncertain_up_to": 0.5}


def references(*encodings, kind="enrolled"):
    return [FaceReference(kind, number, encoding) for number, encoding in enumerate(encodings, start=1)]


def of(refs, faces_found, encoding, **tolerances):
    return FaceCheck.of(refs, faces_found, encoding, **(tolerances or face_tolerances(DRIFT, SitePolicy())))


def test_face_check_of_compares_one_to_one_with_the_nearest_reference_and_names_it():
    selfie = np.full(128, 0.1)
    selfie[0] += 0.3
    enrolled = references(np.zeros(128))
    selfies = references(np.full(128, 0.1), kind="selfie")
    check = of(enrolled + selfies, faces_found=1, encoding=selfie)
    assert (check.enrolled, check.examined, check.face_count) == (True, True, 1)
    assert check.distance == pytest.approx(0.3, abs=1e-4)
    assert check.code == "FACE_MATCH"
    assert (check.reference.kind, check.reference.id) == ("selfie", 1)


def test_face_check_of_without_references_is_not_enrolled_and_not_examined():
    check = of([], faces_found=1, encoding=np.zeros(128))
    assert (check.enrolled, check.examined, check.code, check.reference) == (False, False, "NOT_ENROLLED", None)


def test_face_check_of_a_face_not_encoded_is_too_small_and_no_face_is_no_face():
    enrolled = references(np.zeros(128))
    assert of(enrolled, faces_found=1, encoding=None).code == "FACE_TOO_SMALL"
    assert of(enrolled, faces_found=0, encoding=None).code == "NO_FACE"


def test_face_check_of_rounds_the_distance_to_four_decimals():
    selfie = np.zeros(128)
    selfie[0] = 0.123456789
    assert of(references(np.zeros(128)), 1, selfie).distance == 0.1235


def test_sign_check_without_sightings_is_sign_missing():
    assert (SIGN_MISSING.code, SIGN_MISSING.best, SIGN_MISSING.matched) == ("SIGN_MISSING", None, False)


def test_sign_check_prefers_the_most_favourable_sighting():
    assert SIGN_PREFERENCE == ["SIGN_MATCH", "SIGN_OTHER_SITE", "SIGN_EXPIRED", "SIGN_REVOKED", "SIGN_INVALID"]
    sightings = [SignSighting(R.SIGN_INVALID), SignSighting(R.SIGN_REVOKED, 1, 1),
                 SignSighting(R.SIGN_OTHER_SITE, 2, 2), SignSighting(R.SIGN_MATCH, 3, 3)]
    check = SignCheck(sightings)
    assert (check.code, check.best.sign_id, check.matched) == ("SIGN_MATCH", 3, True)
    assert SignCheck(sightings[:3]).code == "SIGN_OTHER_SITE"
    assert SignCheck([SignSighting(R.SIGN_REVOKED, 1, 1), SignSighting(R.SIGN_EXPIRED, 2, 1)]).code == "SIGN_EXPIRED"
    assert SignCheck([SignSighting(R.SIGN_INVALID), SignSighting(R.SIGN_REVOKED, 1, 1)]).code == "SIGN_REVOKED"


# --- inside the fence, good fix -------------------------------------------------------------

def test_inside_enrolled_and_face_matches_is_accepted_by_gps():
    decision = decide_checkin(INSIDE, MATCH, SIGN_MISSING, [])
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE", "FACE_MATCH"])
    assert decision.site_id == SITE_ID
    assert decision.distance_m == 0.0


def test_inside_a_matching_sign_is_noted_but_not_needed():
    decision = decide_checkin(INSIDE, MATCH, SIGN_MATCH, [])
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE", "FACE_MATCH", "SIGN_MATCH"])
    assert decision.site_id == SITE_ID  # inside, the site stays the fence's


@pytest.mark.parametrize("check, reasons", [
    (inside_face(0.70), ["INSIDE_GEOFENCE", "FACE_MISMATCH"]),
    (NO_FACE, ["INSIDE_GEOFENCE", "NO_FACE"]),
    (TOO_SMALL, ["INSIDE_GEOFENCE", "FACE_TOO_SMALL"]),
    (inside_face(0.70, count=2), ["INSIDE_GEOFENCE", "FACE_MISMATCH", "MULTIPLE_FACES"]),
], ids=["mismatch", "no face", "too small", "multiple faces"])
def test_inside_enrolled_and_the_face_is_not_theirs_is_flagged(check, reasons):
    decision = decide_checkin(INSIDE, check, SIGN_MATCH, [])
    assert outcome(decision) == ("flagged", None, reasons + ["SIGN_MATCH"])
    assert decision.site_id == SITE_ID


def test_inside_a_face_between_the_strict_and_the_inside_bound_is_accepted_by_gps():
    """18 of 25 honest FACE_UNCERTAIN flags were inside with a good fix: GPS placed the person."""
    decision = decide_checkin(INSIDE, inside_face(0.55), SIGN_MISSING, [])
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE", "FACE_MATCH"])


def test_inside_several_faces_with_the_largest_matching_is_accepted_today():
    """Current behaviour: inside the fence, a second face is not a reason when the largest matches."""
    decision = decide_checkin(INSIDE, TWO_FACES_MATCH, SIGN_MISSING, [])
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE", "FACE_MATCH"])


@pytest.mark.parametrize("sign", [SIGN_MISSING, SIGN_OTHER_SITE, SIGN_REVOKED, SIGN_EXPIRED, SIGN_INVALID],
                         ids=["missing", "other site", "revoked", "expired", "invalid"])
def test_inside_and_not_enrolled_gps_alone_decides_whatever_the_sign(sign):
    decision = decide_checkin(INSIDE, NOT_ENROLLED, sign, [])
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE"])


def test_inside_not_examined_yet_is_accepted_and_left_to_the_worker():
    decision = decide_checkin(INSIDE, NOT_EXAMINED_YET, SIGN_MISSING, [])
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE"])


# --- the drift band (or inside with a poor fix): the photo decides ------------------------------

def test_drift_with_one_matching_face_and_a_matching_sign_is_accepted_by_photo():
    decision = decide_checkin(DRIFT, MATCH, SIGN_MATCH, [])
    assert outcome(decision) == ("accepted", "photo", ["GPS_DRIFT", "FACE_MATCH", "SIGN_MATCH"])
    assert decision.distance_m == DRIFT.distance_m


def test_the_site_of_a_photo_acceptance_is_the_signs_site():
    assert DRIFT.site_id == SITE_ID != SIGN_SITE
    assert decide_checkin(DRIFT, MATCH, SIGN_MATCH, []).site_id == SIGN_SITE


def test_inside_with_a_poor_fix_is_accepted_by_photo_with_face_and_sign():
    decision = decide_checkin(INSIDE_POOR, MATCH, SIGN_MATCH, [])
    assert outcome(decision) == ("accepted", "photo",
                                 ["INSIDE_GEOFENCE", "LOW_ACCURACY", "FACE_MATCH", "SIGN_MATCH"])
    assert decision.site_id == SIGN_SITE


def test_inside_with_a_poor_fix_and_no_sign_is_flagged():
    decision = decide_checkin(INSIDE_POOR, MATCH, SIGN_MISSING, [])
    assert outcome(decision) == ("flagged", None,
                                 ["INSIDE_GEOFENCE", "LOW_ACCURACY", "FACE_MATCH", "SIGN_MISSING"])


@pytest.mark.parametrize("gps", [DRIFT, INSIDE_POOR], ids=["drift", "inside poor fix"])
@pytest.mark.parametrize("check, face_reasons", [
    (MISMATCH, ["FACE_MISMATCH"]),
    (UNCERTAIN, ["FACE_UNCERTAIN"]),
    (NO_FACE, ["NO_FACE"]),
    (TOO_SMALL, ["FACE_TOO_SMALL"]),
    (TWO_FACES_MATCH, ["FACE_MATCH", "MULTIPLE_FACES"]),
    (TWO_FACES_MISMATCH, ["FACE_MISMATCH", "MULTIPLE_FACES"]),
    (NOT_ENROLLED, ["NOT_ENROLLED"]),
], ids=["mismatch", "uncertain", "no face", "too small", "two faces matching", "two faces", "not enrolled"])
def test_in_the_photo_band_a_face_short_of_one_matching_face_flags_even_with_the_right_sign(gps, check,
                                                                                          face_reasons):
    decision = decide_checkin(gps, check, SIGN_MATCH, [])
    assert outcome(decision) == ("flagged", None, gps.reasons + face_reasons + ["SIGN_MATCH"])


@pytest.mark.parametrize("gps", [DRIFT, INSIDE_POOR], ids=["drift", "inside poor fix"])
@pytest.mark.parametrize("sign, code", [
    (SIGN_MISSING, "SIGN_MISSING"), (SIGN_OTHER_SITE, "SIGN_OTHER_SITE"), (SIGN_REVOKED, "SIGN_REVOKED"),
    (SIGN_EXPIRED, "SIGN_EXPIRED"), (SIGN_INVALID, "SIGN_INVALID"),
])
def test_in_the_photo_band_a_matching_face_without_a_valid_sign_flags(gps, sign, code):
    decision = decide_checkin(gps, MATCH, sign, [])
    assert outcome(decision) == ("flagged", None, gps.reasons + ["FACE_MATCH", code])
    assert decision.site_id == SITE_ID  # not a sign's site: no sign matched


def test_in_the_drift_band_every_missing_piece_is_named():
    decision = decide_checkin(DRIFT, TWO_FACES_MISMATCH, SIGN_REVOKED, ["CLOCK_SKEW"])
    assert outcome(decision) == ("flagged", None, ["GPS_DRIFT", "FACE_MISMATCH", "MULTIPLE_FACES",
                                                    "SIGN_REVOKED", "CLOCK_SKEW"])


def test_not_enrolled_drift_goes_to_review_with_the_sign_result():
    decision = decide_checkin(DRIFT, NOT_ENROLLED, SIGN_MATCH, [])
    assert outcome(decision) == ("flagged", None, ["GPS_DRIFT", "NOT_ENROLLED", "SIGN_MATCH"])


def test_several_qr_codes_in_the_photo_one_of_them_right_is_enough():
    sign = SignCheck([SignSighting(R.SIGN_INVALID), SignSighting(R.SIGN_OTHER_SITE, 41, 4),
                      SignSighting(R.SIGN_MATCH, 31, SIGN_SITE)])
    decision = decide_checkin(DRIFT, MATCH, sign, [])
    assert outcome(decision) == ("accepted", "photo", ["GPS_DRIFT", "FACE_MATCH", "SIGN_MATCH"])
    assert decision.site_id == SIGN_SITE


@pytest.mark.parametrize("metres, accuracy", [(3000, 2000), (50_000, 99_999), (140, 100)],
                         ids=["3 km claiming 2 km", "50 km claiming 99 999 m", "140 m with a 162 m radius"])
def test_an_inflated_accuracy_never_lets_a_photo_rescue_the_fix(metres, accuracy):
    """A photo of the poster used to be accepted from 50 km away with accuracy_m=99999."""
    gps = decide_gps(fix_at(east_of_fence(metres), accuracy), index())
    decision = decide_checkin(gps, MATCH, SIGN_MATCH, [])
    assert outcome(decision) == ("flagged", None, ["OUTSIDE_GEOFENCE", "LOW_ACCURACY", "FACE_MATCH", "SIGN_MATCH"])


# --- far outside, no fix, no site: flagged whatever the photo shows ------------------------------

@pytest.mark.parametrize("gps", [FAR, NO_FIX, ZERO_FIX, NO_SITE], ids=["far outside", "no fix", "(0, 0)", "no site"])
def test_a_perfect_photo_never_accepts_far_outside_without_fix_or_site(gps):
    decision = decide_checkin(gps, MATCH, SIGN_MATCH, [])
    assert outcome(decision) == ("flagged", None, gps.reasons + ["FACE_MATCH", "SIGN_MATCH"])
    assert decision.site_id == gps.site_id  # the sign's site is not taken


def test_far_outside_the_photo_results_are_kept_for_the_reviewer():
    decision = decide_checkin(FAR, MISMATCH, SIGN_OTHER_SITE, [])
    assert decision.reasons == ["OUTSIDE_GEOFENCE", "FACE_MISMATCH", "SIGN_OTHER_SITE"]


def test_far_outside_nothing_to_say_about_an_absent_sign_or_unenrolled_face():
    assert decide_checkin(FAR, NOT_ENROLLED, SIGN_MISSING, []).reasons == ["OUTSIDE_GEOFENCE"]
    assert decide_checkin(NO_FIX, NOT_EXAMINED_YET, SIGN_MISSING, []).reasons == ["NO_GPS_FIX"]


def test_far_outside_site_and_distance_come_from_the_gps_step():
    decision = decide_checkin(FAR, MATCH, SIGN_MATCH, [])
    assert decision.site_id == SITE_ID
    assert decision.distance_m == pytest.approx(2000, abs=0.5)
    no_fix = decide_checkin(NO_FIX, MATCH, SIGN_MATCH, [])
    assert (no_fix.site_id, no_fix.distance_m) == (None, None)


# --- always-flag signals ------------------------------------------------------------------

@pytest.mark.parametrize("signal", ["DUPLICATE_PHOTO", "CLOCK_SKEW", "IMPOSSIBLE_TRAVEL"])
@pytest.mark.parametrize("gps", [INSIDE, DRIFT, INSIDE_POOR], ids=["inside", "drift", "inside poor fix"])
def test_every_signal_flags_even_a_perfect_photo(gps, signal):
    decision = decide_checkin(gps, MATCH, SIGN_MATCH, [signal])
    assert (decision.status, decision.method) == ("flagged", None)
    assert decision.reasons[-1] == signal


def test_a_signal_flags_an_inside_check_in_of_someone_not_enrolled():
    decision = decide_checkin(INSIDE, NOT_ENROLLED, SIGN_MISSING, ["DUPLICATE_PHOTO"])
    assert outcome(decision) == ("flagged", None, ["INSIDE_GEOFENCE", "DUPLICATE_PHOTO"])


@pytest.mark.parametrize("gps", [MOCK_INSIDE, MOCK_DRIFT, IMPLAUSIBLE_DRIFT], ids=["inside", "drift", "under 1 m"])
def test_mock_location_or_an_implausible_accuracy_flags_even_a_perfect_photo(gps):
    decision = decide_checkin(gps, MATCH, SIGN_MATCH, [])
    assert (decision.status, decision.method) == ("flagged", None)
    assert decision.reasons == gps.reasons + ["FACE_MATCH", "SIGN_MATCH"]


def test_signals_are_listed_after_the_photo_in_the_order_given():
    decision = decide_checkin(DRIFT, MATCH, SIGN_MATCH, ["DUPLICATE_PHOTO", "CLOCK_SKEW", "IMPOSSIBLE_TRAVEL"])
    assert decision.reasons == ["GPS_DRIFT", "FACE_MATCH", "SIGN_MATCH",
                                "DUPLICATE_PHOTO", "CLOCK_SKEW", "IMPOSSIBLE_TRAVEL"]


def test_reasons_are_unique_keeping_their_first_place():
    decision = decide_checkin(MOCK_DRIFT, MATCH, SIGN_MATCH, ["CLOCK_SKEW", "MOCK_LOCATION", "CLOCK_SKEW"])
    assert decision.reasons == ["GPS_DRIFT", "MOCK_LOCATION", "FACE_MATCH", "SIGN_MATCH", "CLOCK_SKEW"]


def test_the_decision_carries_the_face_and_sign_checks():
    decision = decide_checkin(DRIFT, UNCERTAIN, SIGN_EXPIRED, [])
    assert decision.face is UNCERTAIN
    assert decision.sign is SIGN_EXPIRED


# --- invariants over every combination ------------------------------------------------------

GPS_CASES = [INSIDE, INSIDE_POOR, DRIFT, FAR, NO_FIX, ZERO_FIX, NO_SITE, MOCK_INSIDE, MOCK_DRIFT, IMPLAUSIBLE_DRIFT]
FACE_CASES = [MATCH, MISMATCH, UNCERTAIN, NO_FACE, TOO_SMALL, TWO_FACES_MATCH, TWO_FACES_MISMATCH,
              NOT_ENROLLED, NOT_EXAMINED_YET]
SIGN_CASES = [SIGN_MATCH, SIGN_MISSING, SIGN_OTHER_SITE, SIGN_REVOKED, SIGN_EXPIRED, SIGN_INVALID]
SIGNAL_CASES = [[], ["DUPLICATE_PHOTO"], ["CLOCK_SKEW"], ["IMPOSSIBLE_TRAVEL"], ["DUPLICATE_PHOTO", "CLOCK_SKEW"]]


def test_over_every_combination_outcomes_are_only_accepted_or_flagged_and_reasons_are_clean():
    seen = set()
    for gps, check, sign, signals in itertools.product(GPS_CASES, FACE_CASES, SIGN_CASES, SIGNAL_CASES):
        decision = decide_checkin(gps, check, sign, signals)
        seen.add(decision.status)
        assert decision.status in (ACCEPTED, FLAGGED) and decision.status != REJECTED
        assert len(decision.reasons) == len(set(decision.reasons))
        assert decision.reasons[:len(gps.reasons)] == gps.reasons
        assert all(code in R.REASONS for code in decision.reasons)
        if decision.status == ACCEPTED:
            assert not signals and not {"MOCK_LOCATION", "IMPLAUSIBLE_ACCURACY"} & set(decision.reasons)
            if decision.method == "gps":
                assert gps.reasons == ["INSIDE_GEOFENCE"]
                assert check.matched or not (check.enrolled and check.examined)
            else:
                assert decision.method == "photo"
                assert check.matched and check.face_count == 1 and sign.matched
                assert decision.site_id == sign.best.site_id
        else:
            assert decision.method is None
    assert seen == {ACCEPTED, FLAGGED}


# --- the reason catalogue ---------------------------------------------------------------------

def test_every_reason_the_rules_use_has_a_thai_and_an_english_message():
    codes = [value for name, value in vars(R).items() if name.isupper() and isinstance(value, str)]
    assert {"INSIDE_GEOFENCE", "GPS_DRIFT", "SIGN_MATCH", "SIGN_INVALID", "IMPOSSIBLE_TRAVEL"} <= set(codes)
    for code in codes:
        assert R.REASONS[code].code == code
        assert R.REASONS[code].th and R.REASONS[code].en


def test_messages_for_keeps_the_order_of_the_codes():
    messages = R.messages_for(["GPS_DRIFT", "FACE_MATCH"])
    assert [m["code"] for m in messages] == ["GPS_DRIFT", "FACE_MATCH"]
    assert messages[1] == {"code": "FACE_MATCH", "th": R.REASONS["FACE_MATCH"].th, "en": R.REASONS["FACE_MATCH"].en}


# --- the site's sign policy -------------------------------------------------------------------

ALWAYS = SitePolicy(sign_required="always")
DISPLAY_ONLY = SitePolicy(display_sign_only=True)
PRINTED_MATCH = SignCheck([SignSighting(R.SIGN_MATCH, sign_id=31, site_id=SIGN_SITE, kind="printed")])
DISPLAY_MATCH = SignCheck([SignSighting(R.SIGN_MATCH, sign_id=35, site_id=SIGN_SITE, kind="display")])


def test_a_site_that_wants_its_sign_always_flags_an_inside_check_in_without_one():
    decision = decide_checkin(INSIDE, MATCH, SIGN_MISSING, [], ALWAYS)
    assert outcome(decision) == ("flagged", None, ["INSIDE_GEOFENCE", "FACE_MATCH", "SIGN_MISSING"])
    other = decide_checkin(INSIDE, NOT_ENROLLED, SIGN_OTHER_SITE, [], ALWAYS)
    assert outcome(other) == ("flagged", None, ["INSIDE_GEOFENCE", "SIGN_OTHER_SITE"])


def test_a_site_that_wants_its_sign_always_accepts_inside_with_it():
    decision = decide_checkin(INSIDE, MATCH, PRINTED_MATCH, [], ALWAYS)
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE", "FACE_MATCH", "SIGN_MATCH"])
    assert decision.sign_id == 31


def test_sign_always_waits_for_the_photo_when_it_is_not_examined_yet():
    decision = decide_checkin(INSIDE, NOT_EXAMINED_YET, SignCheck([], examined=False), [], ALWAYS)
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE"])


@pytest.mark.parametrize("gps", [DRIFT, INSIDE_POOR], ids=["drift", "inside poor fix"])
def test_display_only_a_printed_poster_does_not_rescue_a_drifting_fix(gps):
    decision = decide_checkin(gps, MATCH, PRINTED_MATCH, [], DISPLAY_ONLY)
    assert outcome(decision) == ("flagged", None, gps.reasons + ["FACE_MATCH", "SIGN_DISPLAY_REQUIRED"])


def test_display_only_the_screens_rotating_code_rescues_it_and_names_that_sign():
    both = SignCheck(PRINTED_MATCH.sightings + DISPLAY_MATCH.sightings)
    decision = decide_checkin(DRIFT, MATCH, both, [], DISPLAY_ONLY)
    assert outcome(decision) == ("accepted", "photo", ["GPS_DRIFT", "FACE_MATCH", "SIGN_MATCH"])
    assert (decision.site_id, decision.sign_id) == (SIGN_SITE, 35)


def test_display_only_does_not_touch_a_check_in_gps_accepts():
    decision = decide_checkin(INSIDE, MATCH, PRINTED_MATCH, [], DISPLAY_ONLY)
    assert outcome(decision) == ("accepted", "gps", ["INSIDE_GEOFENCE", "FACE_MATCH", "SIGN_MATCH"])


@pytest.mark.parametrize("policy", [ALWAYS, DISPLAY_ONLY], ids=["always", "display only"])
def test_under_any_policy_outcomes_stay_accepted_or_flagged_and_a_photo_acceptance_has_a_counted_sign(policy):
    for gps, check, sign in itertools.product(GPS_CASES, FACE_CASES, SIGN_CASES + [PRINTED_MATCH, DISPLAY_MATCH]):
        decision = decide_checkin(gps, check, sign, [], policy)
        assert decision.status in (ACCEPTED, FLAGGED)
        if decision.status == ACCEPTED and decision.method == "photo":
            assert sign.counted(policy.display_sign_only) is not None
        if decision.status == ACCEPTED and policy.sign_required == "always":
            assert sign.counted(False) is not None or not sign.examined
