"""Sites as GeoJSON over HTTP: create, list as a FeatureCollection, replace, archive, refuse bad
geometry with a message that names the problem."""

import pytest

from tests.support.api import assert_error, post_checkin
from tests.support.places import SQUARE_CITY_HALL
from tests.support.processes import another_process


def feature(geometry=None, **properties):
    return {"type": "Feature", "geometry": geometry or SQUARE_CITY_HALL,
            "properties": {"code": "CH1", "name": "ศาลาว่าการกรุงเทพมหานคร", **properties}}


def test_admin_creates_a_site_and_lists_a_valid_feature_collection(client, make):
    admin = make.user("admin")["headers"]
    created = client.post("/api/v1/sites", json=feature(drift_tolerance_m=80), headers=admin)
    assert created.status_code == 201
    body = created.get_json()
    assert body["type"] == "Feature" and isinstance(body["id"], int)
    assert body["properties"] == {"code": "CH1", "name": "ศาลาว่าการกรุงเทพมหานคร",
                                  "drift_tolerance_m": 80.0, "max_accuracy_m": 100.0,
                                  # the evidence policy's defaults (geofences.policy)
                                  "photo_max_distance_m": 150.0, "photo_max_radius_m": 150.0,
                                  "face_tolerance_inside": 0.6, "face_tolerance_photo": 0.45,
                                  "sign_required": "drift", "display_sign_only": False}
    assert body["geometry"] == SQUARE_CITY_HALL

    listing = client.get("/api/v1/sites", headers=admin).get_json()
    assert listing["type"] == "FeatureCollection"
    assert [item["id"] for item in listing["features"]] == [body["id"]]

    import shapely.geometry
    assert shapely.geometry.shape(listing["features"][0]["geometry"]).is_valid


def test_multipolygon_site_with_a_hole_is_accepted(client, make):
    admin = make.user("admin")["headers"]
    outer = [[100.50, 13.75], [100.51, 13.75], [100.51, 13.76], [100.50, 13.76], [100.50, 13.75]]
    hole = [[100.503, 13.753], [100.503, 13.756], [100.506, 13.756], [100.506, 13.753], [100.503, 13.753]]
    annex = [[100.52, 13.75], [100.521, 13.75], [100.521, 13.751], [100.52, 13.75]]
    geometry = {"type": "MultiPolygon", "coordinates": [[outer, hole], [annex]]}
    assert client.post("/api/v1/sites", json=feature(geometry), headers=admin).status_code == 201


@pytest.mark.parametrize("geometry, words", [
    ({"type": "Polygon", "coordinates": [[[100.50, 13.75], [100.51, 13.75], [100.51, 13.76], [100.50, 13.76]]]},
     "not closed"),
    ({"type": "Polygon", "coordinates": [[[100.50, 13.75], [100.51, 13.76], [100.51, 13.75],
                                          [100.50, 13.76], [100.50, 13.75]]]}, "Self-intersection"),
    ({"type": "Polygon", "coordinates": [[[100.50, 13.75], [100.51, 13.75], [100.50, 13.75]]]},
     "at least 3 distinct points"),
    ({"type": "Polygon", "coordinates": [[[13.75, 100.50], [13.75, 100.51], [13.76, 100.51], [13.75, 100.50]]]},
     "swapped"),
    ({"type": "Polygon", "coordinates": [[[200.0, 13.75], [200.1, 13.75], [200.1, 13.76], [200.0, 13.75]]]},
     "longitude 200.0 is out of range"),
    ({"type": "Point", "coordinates": [100.5, 13.75]}, "Polygon or MultiPolygon"),
    ({"type": "Polygon", "coordinates": "nope"}, "list of rings"),
    ({"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]}, "numbers"),
])
def test_invalid_geometry_is_422_naming_the_problem(client, make, geometry, words):
    admin = make.user("admin")["headers"]
    body = assert_error(client.post("/api/v1/sites", json=feature(geometry), headers=admin), 422)
    message = " ".join(body["errors"]["json"]["geometry"])
    assert words in message, message


def test_feature_type_and_properties_are_checked(client, make):
    admin = make.user("admin")["headers"]
    wrong_type = dict(feature(), type="FeatureCollection")
    assert "type" in assert_error(client.post("/api/v1/sites", json=wrong_type, headers=admin), 422)["errors"]["json"]
    body = assert_error(client.post("/api/v1/sites", json=feature(drift_tolerance_m=-5), headers=admin), 422)
    assert "drift_tolerance_m" in body["errors"]["json"]["properties"]


def test_duplicate_code_is_409(client, make):
    admin = make.user("admin")["headers"]
    assert client.post("/api/v1/sites", json=feature(), headers=admin).status_code == 201
    assert_error(client.post("/api/v1/sites", json=feature(), headers=admin), 409)


def test_replacing_a_fence_changes_the_next_decision(client, make):
    admin = make.user("admin")["headers"]
    site = make.site()
    employee = make.staff(unit_id=make.unit(site_ids=(site,)))
    assert post_checkin(client, employee).get_json()["status"] == "accepted"

    elsewhere = {"type": "Polygon", "coordinates": [[[100.546, 13.764], [100.549, 13.764], [100.549, 13.767],
                                                      [100.546, 13.767], [100.546, 13.764]]]}
    replaced = client.put(f"/api/v1/sites/{site}", json=feature(elsewhere, code="MOVED"), headers=admin)
    assert replaced.status_code == 200
    assert replaced.get_json()["properties"]["code"] == "MOVED"
    assert post_checkin(client, employee).get_json()["reasons"] == ["OUTSIDE_GEOFENCE"]


def test_another_process_sees_a_changed_assignment_within_its_cache_time(app, client, make):
    """Each process keeps an employee's candidate sites for CANDIDATE_CACHE_SECONDS; a change
    made by another process (here a second app on the same database) reaches it within that."""
    import time

    other = another_process(app, CANDIDATE_CACHE_SECONDS=1).test_client()
    admin = make.user("admin")["headers"]
    elsewhere = {"type": "Polygon", "coordinates": [[[100.546, 13.764], [100.549, 13.764], [100.549, 13.767],
                                                      [100.546, 13.767], [100.546, 13.764]]]}
    here, away = make.site(), make.site(geometry=elsewhere)
    unit = make.unit(site_ids=(here,))
    employee = make.staff(unit_id=unit)
    assert post_checkin(other, employee).get_json()["status"] == "accepted"

    moved = client.patch(f"/api/v1/units/{unit}", json={"site_ids": [away]}, headers=admin)
    assert moved.status_code == 200
    assert post_checkin(client, employee).get_json()["reasons"] == ["OUTSIDE_GEOFENCE"]  # this process: at once
    assert post_checkin(other, employee).get_json()["status"] == "accepted"  # the other: still its copy
    time.sleep(1.1)
    assert post_checkin(other, employee).get_json()["reasons"] == ["OUTSIDE_GEOFENCE"]


def test_archived_site_disappears_from_listing(client, make):
    admin = make.user("admin")["headers"]
    site = make.site()
    assert client.delete(f"/api/v1/sites/{site}", headers=admin).status_code == 204
    assert client.get("/api/v1/sites", headers=admin).get_json()["features"] == []
    assert_error(client.get(f"/api/v1/sites/{site}", headers=admin), 404)
