"""Clocking in over HTTP: the GPS decision as a phone sees it, listing and the selfie."""

import hashlib
import io

from tests.support.api import assert_error, post_checkin
from tests.support.images import jpeg_bytes


def test_inside_the_fence_is_accepted_by_gps(client, make):
    employee = make.staff()
    response = post_checkin(client, employee)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "accepted"
    assert body["method"] == "gps"
    assert body["reasons"] == ["INSIDE_GEOFENCE"]
    assert body["distance_m"] == 0.0
    assert body["site"]["code"].startswith("S")
    assert body["employee_id"] == employee["employee_id"]
    assert body["messages"][0]["th"] == "อยู่ในพื้นที่ลงเวลา"
    assert set(body) >= {"id", "client_event_id", "kind", "accuracy_m", "captured_at", "received_at"}


def test_server_time_is_the_time_of_record_and_captured_at_is_kept(client, make):
    employee = make.staff()
    body = post_checkin(client, employee, captured_at="2020-01-01T08:00:00+09:00").get_json()
    assert body["captured_at"] == "2020-01-01T06:00:00+07:00"  # same instant, shown in Bangkok time
    assert body["received_at"].startswith("20") and body["received_at"].endswith("+07:00")
    assert body["received_at"][:4] != "2020"
    assert body["status"] == "flagged" and "CLOCK_SKEW" in body["reasons"]


def test_just_outside_within_accuracy_plus_tolerance_is_gps_drift(client, make):
    employee = make.staff()
    # 0.0006 deg east of the fence's east edge at 13.753 N is about 65 m.
    body = post_checkin(client, employee, latitude="13.7532", longitude="100.5023", accuracy_m="20").get_json()
    assert body["status"] == "flagged"
    assert body["method"] is None
    # The photo decides in the drift band: no enrolled face and no sign here.
    assert body["reasons"] == ["GPS_DRIFT", "NOT_ENROLLED", "SIGN_MISSING"]
    assert 60 < body["distance_m"] < 70


def test_far_away_is_outside_and_never_accepted(client, make):
    employee = make.staff()
    body = post_checkin(client, employee, latitude="13.7650", longitude="100.5380").get_json()
    assert body["status"] == "flagged"
    assert body["reasons"] == ["OUTSIDE_GEOFENCE"]
    assert body["distance_m"] > 3000


def test_inside_with_poor_accuracy_is_flagged_low_accuracy(client, make):
    employee = make.staff()
    body = post_checkin(client, employee, accuracy_m="80").get_json()  # 95 % radius 129.6 m > 100 m
    assert body["status"] == "flagged"
    assert body["reasons"] == ["INSIDE_GEOFENCE", "LOW_ACCURACY", "NOT_ENROLLED", "SIGN_MISSING"]


def test_browser_accuracy_at_95_percent_is_not_scaled(client, make):
    employee = make.staff()
    body = post_checkin(client, employee, accuracy_m="80", accuracy_confidence="95").get_json()
    assert body["status"] == "accepted"
    assert body["accuracy_confidence"] == 95


def test_mock_location_always_flags(client, make):
    employee = make.staff()
    body = post_checkin(client, employee, mock_location="true").get_json()
    assert body["status"] == "flagged"
    assert body["reasons"] == ["INSIDE_GEOFENCE", "MOCK_LOCATION"]
    assert body["mock_location"] is True


def test_zero_zero_and_missing_position_mean_no_fix(client, make):
    employee = make.staff()
    zero = post_checkin(client, employee, latitude="0", longitude="0").get_json()
    missing = post_checkin(client, employee, latitude=None, longitude=None, accuracy_m=None).get_json()
    for body in (zero, missing):
        assert body["status"] == "flagged"
        assert body["reasons"] == ["NO_GPS_FIX"]
        assert body["site"] is None


def test_employee_without_any_site_is_flagged_no_site_assigned(client, make):
    employee = make.user("employee", make.employee(make.unit()))
    body = post_checkin(client, employee).get_json()
    assert body["status"] == "flagged"
    assert body["reasons"] == ["NO_SITE_ASSIGNED"]


def test_own_sites_take_precedence_over_the_unit_sites(client, make):
    far_site = make.site(geometry={"type": "Polygon", "coordinates": [[
        [100.546, 13.764], [100.549, 13.764], [100.549, 13.767], [100.546, 13.767], [100.546, 13.764]]]})
    unit = make.unit(site_ids=(make.site(),))
    employee = make.user("employee", make.employee(unit, site_ids=(far_site,)))
    body = post_checkin(client, employee).get_json()
    assert body["reasons"] == ["OUTSIDE_GEOFENCE"]
    assert body["site"]["id"] == far_site


def test_sub_unit_inherits_the_nearest_ancestor_sites(client, make):
    parent = make.unit(site_ids=(make.site(),))
    child = make.unit(parent_id=parent)
    employee = make.user("employee", make.employee(child))
    assert post_checkin(client, employee).get_json()["status"] == "accepted"


def test_archived_site_is_no_longer_a_candidate(client, make):
    admin = make.user("admin")
    site = make.site()
    employee = make.user("employee", make.employee(make.unit(site_ids=(site,))))
    assert client.delete(f"/api/v1/sites/{site}", headers=admin["headers"]).status_code == 204
    assert post_checkin(client, employee).get_json()["reasons"] == ["NO_SITE_ASSIGNED"]


def test_selfie_is_stored_content_addressed_and_served_to_the_owner(client, make, app):
    employee = make.staff()
    data = jpeg_bytes(seed=7)
    body = post_checkin(client, employee, selfie=(io.BytesIO(data), "me.jpg")).get_json()
    digest = hashlib.sha256(data).hexdigest()
    from pathlib import Path
    stored = Path(app.config["STORAGE_DIR"]) / digest[:2] / digest[2:4] / f"{digest}.jpg"
    assert stored.read_bytes() == data

    response = client.get(f"/api/v1/checkins/{body['id']}/selfie", headers=employee["headers"])
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.data == data
    assert "no-store" in response.headers["Cache-Control"]


def test_selfie_scope(client, make):
    site = make.site()
    unit = make.unit(site_ids=(site,))
    other_unit = make.unit(site_ids=(site,))
    owner = make.user("employee", make.employee(unit))
    checkin_id = post_checkin(client, owner).get_json()["id"]
    path = f"/api/v1/checkins/{checkin_id}/selfie"

    allowed = [make.staff("supervisor", unit), make.user("hr"), make.user("admin")]
    denied = [make.staff("employee", unit), make.staff("supervisor", other_unit)]
    for user in allowed:
        assert client.get(path, headers=user["headers"]).status_code == 200
    for user in denied:
        assert_error(client.get(path, headers=user["headers"]), 403)
    assert_error(client.get(path), 401)


def test_listing_filters_and_paginates(client, make):
    employee = make.staff()
    statuses = []
    for index in range(5):
        accuracy = "10" if index % 2 == 0 else "90"
        statuses.append(post_checkin(client, employee, accuracy_m=accuracy).get_json()["status"])
    headers = employee["headers"]

    everything = client.get("/api/v1/checkins", headers=headers)
    assert everything.status_code == 200
    assert len(everything.get_json()) == 5
    assert '"total": 5' in everything.headers["X-Pagination"]

    flagged = client.get("/api/v1/checkins?status=flagged", headers=headers).get_json()
    assert len(flagged) == statuses.count("flagged") == 2

    page = client.get("/api/v1/checkins?page=2&page_size=2", headers=headers).get_json()
    assert len(page) == 2
    ids = [item["id"] for item in everything.get_json()]
    assert ids == sorted(ids, reverse=True)  # newest first

    future = client.get("/api/v1/checkins?from=2099-01-01T00:00:00%2B07:00", headers=headers).get_json()
    assert future == []
    past = client.get("/api/v1/checkins?to=2000-01-01T00:00:00Z", headers=headers).get_json()
    assert past == []
    assert_error(client.get("/api/v1/checkins?from=yesterday", headers=headers), 422)


def test_employee_sees_only_own_checkins(client, make):
    site = make.site()
    unit = make.unit(site_ids=(site,))
    alice, bob = make.staff("employee", unit), make.staff("employee", unit)
    alice_checkin = post_checkin(client, alice).get_json()["id"]
    post_checkin(client, bob)

    listed = client.get("/api/v1/checkins", headers=alice["headers"]).get_json()
    assert [item["id"] for item in listed] == [alice_checkin]
    assert_error(client.get(f"/api/v1/checkins?employee_id={bob['employee_id']}", headers=alice["headers"]), 403)
    bob_checkin = client.get("/api/v1/checkins", headers=bob["headers"]).get_json()[0]["id"]
    assert_error(client.get(f"/api/v1/checkins/{bob_checkin}", headers=alice["headers"]), 403, "OUT_OF_SCOPE")
    assert client.get(f"/api/v1/checkins/{alice_checkin}", headers=alice["headers"]).status_code == 200


def test_supervisor_sees_own_units_and_sub_units_only(client, make):
    site = make.site()
    unit = make.unit(site_ids=(site,))
    sub_unit = make.unit(parent_id=unit)
    other = make.unit(site_ids=(site,))
    supervisor = make.staff("supervisor", unit)
    in_sub = make.staff("employee", sub_unit)
    outsider = make.staff("employee", other)
    mine = post_checkin(client, in_sub).get_json()["id"]
    post_checkin(client, outsider)

    listed = client.get("/api/v1/checkins", headers=supervisor["headers"]).get_json()
    assert [item["id"] for item in listed] == [mine]
    hr_listed = client.get("/api/v1/checkins", headers=make.user("hr")["headers"]).get_json()
    assert len(hr_listed) == 2


def test_unknown_checkin_is_404(client, make):
    admin = make.user("admin")
    assert_error(client.get("/api/v1/checkins/999999", headers=admin["headers"]), 404)


def test_account_without_employee_record_cannot_check_in(client, make):
    make.site()
    assert_error(post_checkin(client, make.user("admin")), 403, "NO_EMPLOYEE_RECORD")


def test_reasons_catalogue_has_thai_and_english_for_every_code(client, make):
    body = client.get("/api/v1/reasons", headers=make.user("employee")["headers"]).get_json()
    codes = {item["code"] for item in body}
    assert {"INSIDE_GEOFENCE", "GPS_DRIFT", "OUTSIDE_GEOFENCE", "LOW_ACCURACY", "MOCK_LOCATION",
            "NO_GPS_FIX", "NO_SITE_ASSIGNED"} <= codes
    assert all(item["th"] and item["en"] for item in body)
