"""The photo decides in the GPS drift band: real faces from the fixtures, signs rendered by the
API and pasted into the photo. Everything goes through HTTP."""

import io
from datetime import datetime, timedelta, timezone

import pytest

from tests.support.api import checkin_form
from tests.support.faces import face_photo
from tests.support.selfies import compose, heic, jpeg

DRIFT = {"latitude": "13.7532", "longitude": "100.5023", "accuracy_m": "20"}  # ~65 m east of the fence


@pytest.fixture
def scene(client, make):
    """An enrolled employee (obama), their site with a printed sign, and that sign's poster."""
    admin = make.user("admin")
    site = make.site()
    employee = make.staff(unit_id=make.unit(site_ids=(site,)))
    make.enrol(employee["employee_id"], "obama/obama_2.jpg")
    created = client.post(f"/api/v1/sites/{site}/signs", json={"label": "ประตูหน้า"}, headers=admin["headers"])
    sign = created.get_json()
    poster = client.get(sign["poster_png_url"], headers=admin["headers"])
    assert poster.status_code == 200 and poster.mimetype == "image/png"
    return {"admin": admin, "site": site, "employee": employee, "sign": sign, "poster": poster.data}


def check_in(client, employee, photo: bytes, filename="selfie.jpg", **fields):
    form = checkin_form(**{**DRIFT, **fields})
    form["selfie"] = (io.BytesIO(photo), filename)
    response = client.post("/api/v1/checkins", data=form, headers=employee["headers"],
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("variation", [
    {"width_fraction": 0.3},
    {"width_fraction": 0.18},  # a small sign further back
    {"rotate": 15},
    {"tilt": 0.12},
    {"blur": 1.2},
    {"mirror": True},  # a front camera's unmirrored frame
], ids=lambda v: ",".join(f"{k}={val}" for k, val in v.items()))
def test_drift_with_own_face_and_the_site_sign_is_accepted_by_photo(client, scene, variation):
    body = check_in(client, scene["employee"], jpeg(compose("obama/obama_1.jpg", scene["poster"], **variation)))
    assert (body["status"], body["method"]) == ("accepted", "photo"), body["reasons"]
    assert body["reasons"] == ["GPS_DRIFT", "FACE_MATCH", "SIGN_MATCH"]
    assert body["face"]["checked"] and body["face"]["matched"] and body["face"]["distance"] < 0.45
    assert body["sign"] == {"found": True, "matched": True, "sign_id": scene["sign"]["id"]}
    assert body["site"]["id"] == scene["site"]


def test_another_persons_face_is_face_mismatch(client, scene):
    body = check_in(client, scene["employee"], jpeg(compose("biden/biden_2.jpg", scene["poster"])))
    assert body["status"] == "flagged"
    assert "FACE_MISMATCH" in body["reasons"] and "SIGN_MATCH" in body["reasons"]
    assert body["face"]["matched"] is False and body["face"]["distance"] > 0.6


def test_no_sign_is_sign_missing(client, scene):
    body = check_in(client, scene["employee"], face_photo("obama/obama_4.jpg"))
    assert body["status"] == "flagged"
    assert body["reasons"] == ["GPS_DRIFT", "FACE_MATCH", "SIGN_MISSING"]
    assert body["sign"] == {"found": False, "matched": False, "sign_id": None}


def test_another_sites_sign_is_sign_other_site(client, scene, make):
    other_site = make.site()
    other = client.post(f"/api/v1/sites/{other_site}/signs", json={}, headers=scene["admin"]["headers"]).get_json()
    poster = client.get(other["poster_pdf_url"].replace(".pdf", ".png"), headers=scene["admin"]["headers"]).data
    body = check_in(client, scene["employee"], jpeg(compose("obama/obama_1.jpg", poster)))
    assert body["status"] == "flagged"
    assert "SIGN_OTHER_SITE" in body["reasons"]
    assert body["sign"]["sign_id"] == other["id"] and body["sign"]["matched"] is False


def test_revoked_sign_is_refused(client, scene):
    revoked = client.delete(f"/api/v1/sites/{scene['site']}/signs/{scene['sign']['id']}",
                            headers=scene["admin"]["headers"])
    assert revoked.status_code == 204
    body = check_in(client, scene["employee"], jpeg(compose("obama/obama_1.jpg", scene["poster"])))
    assert body["status"] == "flagged"
    assert "SIGN_REVOKED" in body["reasons"]


def test_forged_sign_is_sign_invalid(client, scene):
    from geofences.sign_codes import make_payload, render_qr

    forged = render_qr(make_payload(b"not-the-server-key-0123456789abcdef", scene["sign"]["id"]), 12)
    body = check_in(client, scene["employee"], jpeg(compose("obama/obama_1.jpg", forged, width_fraction=0.3)))
    assert body["status"] == "flagged"
    assert "SIGN_INVALID" in body["reasons"]
    assert body["sign"]["sign_id"] is None


def test_the_same_photo_twice_is_a_duplicate(client, scene):
    photo = jpeg(compose("obama/obama_1.jpg", scene["poster"]))
    first = check_in(client, scene["employee"], photo)
    again = check_in(client, scene["employee"], photo)
    assert first["status"] == "accepted"
    assert again["status"] == "flagged" and "DUPLICATE_PHOTO" in again["reasons"]


def test_a_resized_re_encoded_copy_is_a_near_duplicate(client, scene):
    image = compose("obama/obama_1.jpg", scene["poster"])
    first = check_in(client, scene["employee"], jpeg(image))
    smaller = image.resize((image.width * 3 // 4, image.height * 3 // 4))
    copy = check_in(client, scene["employee"], jpeg(smaller, quality=70))
    assert first["status"] == "accepted"
    assert copy["status"] == "flagged" and "DUPLICATE_PHOTO" in copy["reasons"]


def test_a_different_real_photo_of_the_same_person_is_not_a_duplicate(client, scene):
    first = check_in(client, scene["employee"], jpeg(compose("obama/obama_1.jpg", scene["poster"])))
    second = check_in(client, scene["employee"], jpeg(compose("obama/obama_4.jpg", scene["poster"])))
    assert first["status"] == second["status"] == "accepted", second["reasons"]


def test_group_photo_is_multiple_faces(client, scene):
    body = check_in(client, scene["employee"], jpeg(compose("group/obama_and_biden.jpg", scene["poster"],
                                                           width_fraction=0.22, corner="right")))
    assert body["status"] == "flagged"
    assert "MULTIPLE_FACES" in body["reasons"]


def test_photo_stored_sideways_with_exif_orientation(client, scene):
    photo = jpeg(compose("obama/obama_1.jpg", scene["poster"]), orientation=6)
    body = check_in(client, scene["employee"], photo)
    assert (body["status"], body["method"]) == ("accepted", "photo"), body["reasons"]


def test_heic_selfie(client, scene):
    body = check_in(client, scene["employee"], heic(compose("obama/obama_1.jpg", scene["poster"])), "IMG_0001.HEIC")
    assert (body["status"], body["method"]) == ("accepted", "photo"), body["reasons"]


def test_not_enrolled_goes_to_review_with_the_sign(client, scene, make):
    unenrolled = make.staff(unit_id=make.unit(site_ids=(scene["site"],)))
    body = check_in(client, unenrolled, jpeg(compose("obama/obama_1.jpg", scene["poster"])))
    assert body["status"] == "flagged"
    assert body["reasons"] == ["GPS_DRIFT", "NOT_ENROLLED", "SIGN_MATCH"]
    assert body["face"] == {"checked": False, "matched": None, "distance": None, "tolerance": None,
                            "reference": None}


def test_inside_the_fence_an_enrolled_face_is_checked_too(client, scene):
    inside = {"latitude": "13.7532", "longitude": "100.5008", "accuracy_m": "10"}
    own = check_in(client, scene["employee"], face_photo("obama/obama_4.jpg"), **inside)
    other = check_in(client, scene["employee"], face_photo("biden/biden_2.jpg"), **inside)
    assert (own["status"], own["method"], own["reasons"]) == ("accepted", "gps", ["INSIDE_GEOFENCE", "FACE_MATCH"])
    assert other["status"] == "flagged"
    assert other["reasons"] == ["INSIDE_GEOFENCE", "FACE_MISMATCH"]


def test_mock_location_is_never_accepted_by_photo(client, scene):
    body = check_in(client, scene["employee"], jpeg(compose("obama/obama_1.jpg", scene["poster"])),
                    mock_location="true")
    assert body["status"] == "flagged" and "MOCK_LOCATION" in body["reasons"]


def test_exif_time_far_from_server_time_is_clock_skew(client, scene):
    yesterday = datetime.now(timezone(timedelta(hours=7))) - timedelta(days=1)
    body = check_in(client, scene["employee"], jpeg(compose("obama/obama_1.jpg", scene["poster"]), taken_at=yesterday))
    assert body["status"] == "flagged" and "CLOCK_SKEW" in body["reasons"]


def test_impossible_travel_since_the_previous_check_in(client, scene):
    first = check_in(client, scene["employee"], jpeg(compose("obama/obama_1.jpg", scene["poster"])))
    # 50 km north a moment later.
    far = check_in(client, scene["employee"], face_photo("obama/obama_4.jpg"), latitude="14.2032")
    assert first["status"] == "accepted"
    assert "IMPOSSIBLE_TRAVEL" in far["reasons"] and far["status"] == "flagged"


def test_display_sign_current_code_matches_and_an_old_one_has_expired(client, scene, make, app):
    from geofences.sign_codes import DISPLAY_STEP_SECONDS, display_time_step, make_payload, render_qr
    from geofences.signs import signing_key

    created = client.post(f"/api/v1/sites/{scene['site']}/signs", json={"kind": "display"},
                          headers=scene["admin"]["headers"]).get_json()
    assert created["poster_png_url"] is None and "token=" in created["display_url"]
    page = client.get(created["display_url"])
    assert page.status_code == 200 and "ศาลาว่าการ" not in page.get_data(as_text=True)[:0]
    qr_url = page.get_data(as_text=True).split('<img src="')[1].split('"')[0].replace("&amp;", "&")
    current = client.get(qr_url)
    assert current.status_code == 200 and current.mimetype == "image/png"

    fresh = check_in(client, scene["employee"], jpeg(compose("obama/obama_1.jpg", current.data, width_fraction=0.25)))
    assert "SIGN_MATCH" in fresh["reasons"], fresh["reasons"]

    with app.app_context():
        stale_step = display_time_step(datetime.now(timezone.utc).timestamp()) - 10  # five minutes ago
        stale = render_qr(make_payload(signing_key(), created["id"], stale_step), 12)
    old = check_in(client, scene["employee"], jpeg(compose("obama/obama_4.jpg", stale, width_fraction=0.25)))
    assert old["status"] == "flagged" and "SIGN_EXPIRED" in old["reasons"]
    assert DISPLAY_STEP_SECONDS == 30
