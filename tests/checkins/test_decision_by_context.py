"""Decisions people can trust (the trust issue), through HTTP with real faces and API-rendered
posters: the face rule by context, more references per person, the sign never a face, a bounded
photo band, a stale fix, and each site's evidence policy."""

import io
from datetime import datetime, timedelta

import pytest

from checkin.checkins.models import CheckIn
from checkin.database import db
from checkin.timezones import BANGKOK
from tests.support.api import assert_error, checkin_form
from tests.support.faces import face_photo
from tests.support.selfies import compose, jpeg, upright

DRIFT = {"latitude": "13.7532", "longitude": "100.5023", "accuracy_m": "20"}  # ~65 m east of the fence
INSIDE = {"latitude": "13.7532", "longitude": "100.5008", "accuracy_m": "10"}


def site_with_sign(client, make, **policy) -> dict:
    """A site (with `policy`), a printed sign's API-rendered poster, and an admin."""
    admin = make.user("admin")
    site = make.site(**policy)
    sign = client.post(f"/api/v1/sites/{site}/signs", json={}, headers=admin["headers"]).get_json()
    poster = client.get(sign["poster_png_url"], headers=admin["headers"]).data
    return {"admin": admin, "site": site, "sign": sign, "poster": poster}


def employee_at(make, site: int, *photos: str) -> dict:
    employee = make.staff(unit_id=make.unit(site_ids=(site,)))
    for photo in photos:
        make.enrol(employee["employee_id"], photo)
    return employee


def plain(face: str) -> bytes:
    """A fixture photo re-encoded without its EXIF (whose old date would add CLOCK_SKEW)."""
    return jpeg(upright(face))


def post(client, employee, photo: bytes, **fields):
    form = checkin_form(**{**DRIFT, **fields})
    form["selfie"] = (io.BytesIO(photo), "selfie.jpg")
    return client.post("/api/v1/checkins", data=form, headers=employee["headers"], content_type="multipart/form-data")


def check_in(client, employee, photo: bytes, **fields) -> dict:
    response = post(client, employee, photo, **fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def place(client, make):
    return site_with_sign(client, make)


# --- 1. the face rule by context -------------------------------------------------------------------

def test_inside_with_a_good_fix_a_face_between_0_45_and_0_6_is_accepted(client, make, place):
    """alex_lacamoire_1 and _2 are 0.52 apart: FACE_UNCERTAIN used to flag this honest check-in."""
    employee = employee_at(make, place["site"], "alex_lacamoire/alex_lacamoire_1.png")
    body = check_in(client, employee, face_photo("alex_lacamoire/alex_lacamoire_2.jpg"), **INSIDE)
    assert (body["status"], body["method"], body["reasons"]) == ("accepted", "gps", ["INSIDE_GEOFENCE", "FACE_MATCH"])
    assert 0.45 < body["face"]["distance"] <= 0.6 and body["face"]["tolerance"] == 0.6


def test_in_the_drift_band_the_same_face_is_uncertain_and_flagged(client, make, place):
    employee = employee_at(make, place["site"], "alex_lacamoire/alex_lacamoire_1.png")
    body = check_in(client, employee, jpeg(compose("alex_lacamoire/alex_lacamoire_2.jpg", place["poster"])))
    assert body["status"] == "flagged"
    assert body["reasons"] == ["GPS_DRIFT", "FACE_UNCERTAIN", "SIGN_MATCH"]
    assert body["face"]["tolerance"] == 0.45


def test_both_face_bounds_are_the_sites(client, make):
    strict = site_with_sign(client, make, face_tolerance_inside=0.45)
    employee = employee_at(make, strict["site"], "alex_lacamoire/alex_lacamoire_1.png")
    body = check_in(client, employee, face_photo("alex_lacamoire/alex_lacamoire_2.jpg"), **INSIDE)
    assert body["status"] == "flagged" and body["reasons"] == ["INSIDE_GEOFENCE", "FACE_MISMATCH"]


# --- 2. more references per person ---------------------------------------------------------------------

def test_a_recent_strictly_matched_selfie_becomes_a_reference_and_the_answer_names_it(client, make, place):
    employee = employee_at(make, place["site"], "obama/obama_2.jpg")
    first = check_in(client, employee, jpeg(compose("obama/obama_4.jpg", place["poster"])))
    assert first["status"] == "accepted" and first["face"]["reference"]["kind"] == "enrolled"
    second = check_in(client, employee, jpeg(compose("obama/obama_3.jpg", place["poster"])))
    assert second["status"] == "accepted", second["reasons"]
    assert second["face"]["reference"] == {"kind": "selfie", "id": first["id"]}
    evidence = client.get(f"/api/v1/checkins/{second['id']}/evidence", headers=place["admin"]["headers"]).get_json()
    assert evidence["face"]["reference"] == {"kind": "selfie", "id": first["id"]}


def test_a_flagged_selfie_is_never_a_reference(client, make, place):
    employee = employee_at(make, place["site"], "obama/obama_2.jpg")
    flagged = check_in(client, employee, face_photo("obama/obama_4.jpg"))  # no sign in the drift band
    assert flagged["status"] == "flagged"
    later = check_in(client, employee, jpeg(compose("obama/obama_3.jpg", place["poster"])))
    assert later["face"]["reference"]["kind"] == "enrolled"


def uncertain_then_reviewed(client, make, place, decision: str) -> tuple[dict, dict]:
    """alex_1 (enrolled) is 0.52 from alex_2 and alex_3; alex_2 and alex_3 are 0.36 apart."""
    unit = make.unit(site_ids=(place["site"],))
    supervisor = make.staff("supervisor", unit_id=unit)
    employee = make.staff(unit_id=unit)
    make.enrol(employee["employee_id"], "alex_lacamoire/alex_lacamoire_1.png")
    uncertain = check_in(client, employee, jpeg(compose("alex_lacamoire/alex_lacamoire_2.jpg", place["poster"])))
    assert "FACE_UNCERTAIN" in uncertain["reasons"]
    note = {"note": "ตรวจแล้ว"} if decision == "reject" else {}
    reviewed = client.post(f"/api/v1/reviews/{uncertain['id']}", json={"decision": decision, **note},
                           headers=supervisor["headers"])
    assert reviewed.status_code == 200
    return employee, uncertain


def test_a_selfie_a_supervisor_approved_becomes_a_reference(client, make, place):
    employee, approved = uncertain_then_reviewed(client, make, place, "approve")
    now = check_in(client, employee, jpeg(compose("alex_lacamoire/alex_lacamoire_3.jpg", place["poster"])))
    assert (now["status"], now["method"]) == ("accepted", "photo"), now["reasons"]
    assert now["face"]["reference"] == {"kind": "selfie", "id": approved["id"]}


def test_a_selfie_a_supervisor_rejected_is_never_a_reference(client, make, place):
    employee, _ = uncertain_then_reviewed(client, make, place, "reject")
    still = check_in(client, employee, jpeg(compose("alex_lacamoire/alex_lacamoire_3.jpg", place["poster"])))
    assert "FACE_UNCERTAIN" in still["reasons"] and still["face"]["reference"]["kind"] == "enrolled"


def test_erasing_the_faces_erases_the_selfie_references_too(client, make, place, app):
    employee = employee_at(make, place["site"], "obama/obama_2.jpg")
    first = check_in(client, employee, jpeg(compose("obama/obama_4.jpg", place["poster"])))
    assert first["status"] == "accepted"
    with app.app_context():
        stored = db.session.get(CheckIn, first["id"])
        assert stored.selfie_face_encoding is not None and stored.selfie_face_phash is not None
    erased = client.delete(f"/api/v1/employees/{employee['employee_id']}/faces", headers=place["admin"]["headers"])
    assert erased.status_code == 204
    with app.app_context():  # the encoding and the face hash, both derived from the face
        stored = db.session.get(CheckIn, first["id"])
        assert (stored.selfie_face_encoding, stored.selfie_face_phash) == (None, None)
    body = check_in(client, employee, jpeg(compose("obama/obama_3.jpg", place["poster"])))
    assert "NOT_ENROLLED" in body["reasons"] and body["face"]["reference"] is None


# --- 3. the sign is never a face: tests/verification/test_sign_is_not_a_face.py -------------------------

# --- 4. replays of the enrolled photo ---------------------------------------------------------------------

def test_the_enrolled_thumbnail_sent_as_the_selfie_is_flagged(client, make, place):
    employee = employee_at(make, place["site"], "obama/obama_2.jpg")
    [face] = client.get(f"/api/v1/employees/{employee['employee_id']}/faces", headers=employee["headers"]).get_json()
    thumbnail = client.get(face["thumbnail_url"], headers=employee["headers"]).data
    body = check_in(client, employee, thumbnail, **INSIDE)
    assert body["status"] == "flagged" and "ENROLLMENT_PHOTO_REUSED" in body["reasons"]


# --- 5. bounded trust in the phone's numbers ---------------------------------------------------------------

def test_an_inflated_accuracy_50_km_away_is_not_rescued_by_a_photo_of_the_poster(client, make, place):
    employee = employee_at(make, place["site"], "obama/obama_2.jpg")
    body = check_in(client, employee, jpeg(compose("obama/obama_1.jpg", place["poster"])),
                    latitude="14.2032", accuracy_m="99999")
    assert body["status"] == "flagged"
    assert body["reasons"][:2] == ["OUTSIDE_GEOFENCE", "LOW_ACCURACY"]


def test_an_accuracy_under_one_metre_is_implausible(client, make, place):
    employee = employee_at(make, place["site"])
    body = check_in(client, employee, plain("obama/obama_1.jpg"), accuracy_m="0.4", **{
        key: INSIDE[key] for key in ("latitude", "longitude")})
    assert (body["status"], body["reasons"]) == ("flagged", ["INSIDE_GEOFENCE", "IMPLAUSIBLE_ACCURACY"])


def iso(moment: datetime) -> str:
    return moment.astimezone(BANGKOK).isoformat(timespec="seconds")


def test_a_fix_older_than_two_minutes_before_the_photo_is_a_stale_position(client, make, place):
    employee = employee_at(make, place["site"])
    now = datetime.now(BANGKOK)
    stale = check_in(client, employee, plain("obama/obama_1.jpg"), **INSIDE, captured_at=iso(now),
                     position_at=iso(now - timedelta(minutes=10)))
    assert (stale["status"], stale["reasons"]) == ("flagged", ["INSIDE_GEOFENCE", "STALE_POSITION"])
    fresh = check_in(client, employee, plain("obama/obama_4.jpg"), **INSIDE, captured_at=iso(now),
                     position_at=iso(now - timedelta(seconds=20)))
    assert fresh["status"] == "accepted" and fresh["position_at"] == iso(now - timedelta(seconds=20))


def test_position_at_without_a_position_is_refused(client, make, place):
    employee = employee_at(make, place["site"])
    response = post(client, employee, face_photo("obama/obama_1.jpg"), latitude=None, longitude=None,
                    accuracy_m=None, position_at=iso(datetime.now(BANGKOK)))
    assert "position_at" in assert_error(response, 422)["errors"]["multipart"]


# --- 6. the site's evidence policy ------------------------------------------------------------------------

def test_sign_required_always_flags_an_inside_check_in_without_the_sign(client, make):
    always = site_with_sign(client, make, sign_required="always")
    employee = employee_at(make, always["site"], "obama/obama_2.jpg")
    bare = check_in(client, employee, plain("obama/obama_1.jpg"), **INSIDE)
    assert (bare["status"], bare["reasons"]) == ("flagged", ["INSIDE_GEOFENCE", "FACE_MATCH", "SIGN_MISSING"])
    with_sign = check_in(client, employee, jpeg(compose("obama/obama_4.jpg", always["poster"])), **INSIDE)
    assert (with_sign["status"], with_sign["reasons"]) == ("accepted", ["INSIDE_GEOFENCE", "FACE_MATCH", "SIGN_MATCH"])


def test_display_sign_only_refuses_a_printed_poster_on_the_photo_path(client, make):
    screen_only = site_with_sign(client, make, display_sign_only=True)
    employee = employee_at(make, screen_only["site"], "obama/obama_2.jpg")
    body = check_in(client, employee, jpeg(compose("obama/obama_1.jpg", screen_only["poster"])))
    assert (body["status"], body["reasons"]) == ("flagged", ["GPS_DRIFT", "FACE_MATCH", "SIGN_DISPLAY_REQUIRED"])

    admin = screen_only["admin"]["headers"]
    display = client.post(f"/api/v1/sites/{screen_only['site']}/signs", json={"kind": "display"}, headers=admin)
    page = client.get(display.get_json()["display_url"]).get_data(as_text=True)
    code = client.get(page.split('<img src="')[1].split('"')[0].replace("&amp;", "&")).data
    screen = check_in(client, employee, jpeg(compose("obama/obama_4.jpg", code, width_fraction=0.25)))
    assert (screen["status"], screen["method"]) == ("accepted", "photo"), screen["reasons"]
    assert screen["sign"]["sign_id"] == display.get_json()["id"]


def test_the_evidence_shows_the_policy_the_decision_applied(client, make):
    strict = site_with_sign(client, make, sign_required="always", display_sign_only=True, photo_max_distance_m=100)
    employee = employee_at(make, strict["site"], "obama/obama_2.jpg")
    body = check_in(client, employee, face_photo("obama/obama_1.jpg"), **INSIDE)
    # the site is loosened afterwards: the evidence still shows what applied then
    feature = client.get(f"/api/v1/sites/{strict['site']}", headers=strict["admin"]["headers"]).get_json()
    feature["properties"].update(sign_required="drift", display_sign_only=False)
    del feature["id"]
    assert client.put(f"/api/v1/sites/{strict['site']}", json=feature,
                      headers=strict["admin"]["headers"]).status_code == 200
    evidence = client.get(f"/api/v1/checkins/{body['id']}/evidence", headers=strict["admin"]["headers"]).get_json()
    assert evidence["policy"] == {"sign_required": "always", "display_sign_only": True, "photo_max_distance_m": 100.0,
                                  "photo_max_radius_m": 150.0, "face_tolerance_inside": 0.6,
                                  "face_tolerance_photo": 0.45}


@pytest.mark.parametrize("properties, field", [
    ({"sign_required": "sometimes"}, "sign_required"),
    ({"photo_max_distance_m": 5000}, "photo_max_distance_m"),
    ({"face_tolerance_photo": 0.9}, "face_tolerance_photo"),
    ({"face_tolerance_photo": 0.55, "face_tolerance_inside": 0.5}, "face_tolerance_photo"),
])
def test_a_policy_out_of_bounds_is_refused(client, make, properties, field):
    from tests.support.places import SQUARE_CITY_HALL

    feature = {"type": "Feature", "geometry": SQUARE_CITY_HALL,
               "properties": {"code": "P1", "name": "นโยบาย", **properties}}
    response = client.post("/api/v1/sites", json=feature, headers=make.user("admin")["headers"])
    assert field in str(assert_error(response, 422)["errors"])


# --- a check-in from an offline queue (the app issue, item 6) ------------------------------------

@pytest.mark.parametrize("sent_offset, reason", [
    (timedelta(seconds=-5), "SENT_LATE"),  # the phone's clock is right: it waited in the queue
    (None, "CLOCK_SKEW"),  # the phone did not say when it sent: nothing tells the two apart
    (timedelta(minutes=-30), "CLOCK_SKEW"),  # the phone's clock is 30 minutes slow
], ids=["sent now", "not said", "clock wrong"])
def test_a_check_in_tapped_30_minutes_ago_is_sent_late_or_a_wrong_clock(client, make, place, sent_offset, reason):
    employee = employee_at(make, place["site"])
    now = datetime.now(BANGKOK)
    sent = {} if sent_offset is None else {"sent_at": iso(now + sent_offset)}
    body = check_in(client, employee, plain("obama/obama_1.jpg"), **INSIDE, captured_at=iso(now - timedelta(minutes=30)),
                    **sent)
    assert (body["status"], body["reasons"]) == ("flagged", ["INSIDE_GEOFENCE", reason])


def test_an_employee_gets_the_outlines_of_their_own_sites_only(client, make, place):
    employee = employee_at(make, place["site"])
    make.site()  # someone else's
    body = client.get("/api/v1/me/sites", headers=employee["headers"]).get_json()
    assert body["type"] == "FeatureCollection" and [feature["id"] for feature in body["features"]] == [place["site"]]
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "Polygon" and set(feature["properties"]) == {"code", "name"}
