"""The evidence of a check-in shows the fence its decision used, not the site as it is today."""

from tests.support.api import post_checkin
from tests.support.places import SQUARE_CITY_HALL


def test_evidence_keeps_the_decision_time_fence_after_the_site_moves_20_km(client, make):
    site = make.site()
    employee = make.staff(unit_id=make.unit(site_ids=(site,)))
    supervisor = make.user("admin")["headers"]
    before = post_checkin(client, employee).get_json()
    assert before["reasons"][0] == "INSIDE_GEOFENCE"

    moved = {"type": "Polygon", "coordinates": [[[lon + 0.18, lat] for lon, lat in SQUARE_CITY_HALL["coordinates"][0]]]}
    feature = {"type": "Feature", "geometry": moved,
               "properties": {"code": "CH-MOVED", "name": "ที่ทำการใหม่", "drift_tolerance_m": 50, "max_accuracy_m": 100}}
    assert client.put(f"/api/v1/sites/{site}", headers=supervisor, json=feature).status_code == 200

    evidence = client.get(f"/api/v1/checkins/{before['id']}/evidence", headers=supervisor).get_json()
    assert evidence["fence"]["geometry"] == SQUARE_CITY_HALL
    assert evidence["fence"]["properties"]["version"] == 1
    assert evidence["distance_m"] == 0

    after = post_checkin(client, employee).get_json()  # the same point: now about 20 km away
    assert after["reasons"][0] == "OUTSIDE_GEOFENCE"
    now = client.get(f"/api/v1/checkins/{after['id']}/evidence", headers=supervisor).get_json()
    assert now["fence"]["geometry"] == moved and now["fence"]["properties"]["version"] == 2
