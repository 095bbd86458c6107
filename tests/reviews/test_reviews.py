"""Supervisors review flagged check-ins; the evidence; the append-only audit trail."""

import io

import pytest

from checkin.audit.models import AuditRecord, AuditRecordChanged
from checkin.database import db
from tests.support.api import assert_error, post_checkin
from tests.support.faces import face_photo


@pytest.fixture
def office(make):
    """A unit with a sub-unit, its supervisor, two employees, and an unrelated unit."""
    site = make.site()
    unit = make.unit(site_ids=(site,))
    sub_unit = make.unit(parent_id=unit)
    other_unit = make.unit(site_ids=(site,))
    return {
        "site": site, "unit": unit, "sub_unit": sub_unit, "other_unit": other_unit,
        "supervisor": make.staff("supervisor", unit),
        "alice": make.staff("employee", unit),
        "bob": make.staff("employee", sub_unit),
        "outsider": make.staff("employee", other_unit),
    }


def flagged(client, user, **fields):
    response = post_checkin(client, user, mock_location="true", **fields)
    assert response.get_json()["status"] == "flagged"
    return response.get_json()["id"]


def review(client, reviewer, checkin_id, decision, note=None):
    return client.post(f"/api/v1/reviews/{checkin_id}", json={"decision": decision, "note": note},
                       headers=reviewer["headers"])


def test_queue_lists_flagged_checkins_of_led_units_oldest_first(client, office, make):
    first = flagged(client, office["alice"])
    second = flagged(client, office["bob"])  # in the sub-unit
    flagged(client, office["outsider"])
    post_checkin(client, office["alice"])  # accepted: not in the queue

    response = client.get("/api/v1/reviews", headers=office["supervisor"]["headers"])
    assert response.status_code == 200
    items = response.get_json()
    assert [item["id"] for item in items] == [first, second]
    assert items[0]["employee"]["id"] == office["alice"]["employee_id"]
    assert "MOCK_LOCATION" in items[0]["reasons"] and items[0]["messages"]
    assert {"face", "sign", "site", "received_at"} <= set(items[0])
    assert '"total": 2' in response.headers["X-Pagination"]

    only_sub = client.get(f"/api/v1/reviews?unit={office['sub_unit']}", headers=office["supervisor"]["headers"])
    assert [item["id"] for item in only_sub.get_json()] == [second]
    assert len(client.get("/api/v1/reviews", headers=make.user("hr")["headers"]).get_json()) == 3
    assert client.get("/api/v1/reviews?page_size=1&page=2",
                      headers=office["supervisor"]["headers"]).get_json()[0]["id"] == second


def test_the_queue_filters_by_reason_and_by_bangkok_day(client, office):
    from datetime import datetime, timedelta

    from checkin.timezones import BANGKOK

    mock = flagged(client, office["alice"])
    no_fix = post_checkin(client, office["bob"], latitude=None, longitude=None, accuracy_m=None).get_json()["id"]
    headers = office["supervisor"]["headers"]

    def listed(query: str) -> list[int]:
        response = client.get(f"/api/v1/reviews?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()]

    assert listed("reason=MOCK_LOCATION") == [mock]
    assert listed("reason=NO_GPS_FIX") == [no_fix]
    today = datetime.now(BANGKOK).date()
    assert listed(f"from={today}&to={today}") == [mock, no_fix]
    assert listed(f"from={today + timedelta(days=1)}") == []
    assert listed(f"to={today - timedelta(days=1)}") == []
    assert_error(client.get("/api/v1/reviews?reason=NOT_A_CODE", headers=headers), 422)


def test_admin_assigns_a_supervisor_further_units(client, office, make):
    outsider_checkin = flagged(client, office["outsider"])
    supervisor = office["supervisor"]
    assert review(client, supervisor, outsider_checkin, "approve").status_code == 403
    assigned = client.patch(f"/api/v1/users/{supervisor['id']}", json={"led_unit_ids": [office["other_unit"]]},
                            headers=make.user("admin")["headers"])
    assert assigned.get_json()["led_unit_ids"] == [office["other_unit"]]
    queue = client.get("/api/v1/reviews", headers=supervisor["headers"]).get_json()
    assert outsider_checkin in [item["id"] for item in queue]
    assert review(client, supervisor, outsider_checkin, "approve").status_code == 200


def test_approve_and_reject(client, office):
    approved_id, rejected_id = flagged(client, office["alice"]), flagged(client, office["bob"])
    approved = review(client, office["supervisor"], approved_id, "approve")
    assert approved.status_code == 200
    body = approved.get_json()
    assert body["status"] == "accepted"
    assert body["review"]["decision"] == "approve" and body["review"]["reviewed_by_id"] == office["supervisor"]["id"]

    assert_error(review(client, office["supervisor"], rejected_id, "reject"), 422, "NOTE_REQUIRED")
    assert_error(review(client, office["supervisor"], rejected_id, "reject", "   "), 422, "NOTE_REQUIRED")
    rejected = review(client, office["supervisor"], rejected_id, "reject", "ไม่ได้อยู่ที่สำนักงานตามภาพ")
    assert rejected.get_json()["status"] == "rejected"
    assert rejected.get_json()["review"]["note"] == "ไม่ได้อยู่ที่สำนักงานตามภาพ"

    decided = client.get("/api/v1/reviews?status=decided", headers=office["supervisor"]["headers"]).get_json()
    assert {item["id"] for item in decided} == {approved_id, rejected_id}
    assert client.get("/api/v1/reviews", headers=office["supervisor"]["headers"]).get_json() == []
    assert client.get(f"/api/v1/checkins/{approved_id}",
                      headers=office["alice"]["headers"]).get_json()["status"] == "accepted"


def test_a_decision_is_final(client, office, make):
    checkin_id = flagged(client, office["alice"])
    assert review(client, office["supervisor"], checkin_id, "approve").status_code == 200
    assert_error(review(client, office["supervisor"], checkin_id, "reject", "changed my mind"), 409, "ALREADY_DECIDED")
    assert_error(review(client, make.user("admin"), checkin_id, "reject", "override"), 409, "ALREADY_DECIDED")


def test_who_may_not_review(client, office, make):
    own = flagged(client, office["supervisor"])
    assert_error(review(client, office["supervisor"], own, "approve"), 403, "OWN_CHECKIN")
    outsider = flagged(client, office["outsider"])
    assert_error(review(client, office["supervisor"], outsider, "approve"), 403, "OUT_OF_SCOPE")
    assert_error(review(client, make.user("hr"), outsider, "approve"), 403, "ROLE_REQUIRED")
    assert_error(review(client, office["alice"], outsider, "approve"), 403)
    accepted = post_checkin(client, office["alice"]).get_json()["id"]
    assert_error(review(client, office["supervisor"], accepted, "approve"), 409, "NOT_FLAGGED")
    assert_error(client.post(f"/api/v1/reviews/{outsider}", json={"decision": "maybe"},
                             headers=office["supervisor"]["headers"]), 422)


def test_audit_trail_records_every_change_with_before_and_after(client, office):
    checkin_id = flagged(client, office["alice"])
    review(client, office["supervisor"], checkin_id, "reject", "ภาพไม่ชัด")
    client.get(f"/api/v1/checkins/{checkin_id}/selfie", headers=office["supervisor"]["headers"])

    trail = client.get(f"/api/v1/checkins/{checkin_id}/audit", headers=office["alice"]["headers"]).get_json()
    assert [entry["action"] for entry in trail] == ["checkin.created", "checkin.decided", "checkin.reviewed",
                                                   "selfie.viewed"]
    created, decided, reviewed, viewed = trail
    assert created["actor_id"] == office["alice"]["id"]
    assert decided["actor_id"] is None and decided["after"]["status"] == "flagged"
    assert reviewed["before"] == {"status": "flagged"}
    assert reviewed["after"] == {"status": "rejected", "decision": "reject", "note": "ภาพไม่ชัด"}
    assert reviewed["actor_id"] == viewed["actor_id"] == office["supervisor"]["id"]
    assert all(entry["at"].endswith("+07:00") and entry["request_id"] for entry in trail)
    assert_error(client.get(f"/api/v1/checkins/{checkin_id}/audit", headers=office["outsider"]["headers"]), 403)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_no_endpoint_writes_the_audit_trail(client, office, make, method):
    checkin_id = flagged(client, office["alice"])
    admin = make.user("admin")
    response = client.open(f"/api/v1/checkins/{checkin_id}/audit", method=method, json={"action": "x"},
                           headers=admin["headers"])
    assert_error(response, 405)
    assert len(client.get(f"/api/v1/checkins/{checkin_id}/audit", headers=admin["headers"]).get_json()) == 2


def test_audit_records_cannot_be_changed_or_deleted_through_the_orm(client, office, app):
    flagged(client, office["alice"])
    with app.app_context():
        entry = db.session.query(AuditRecord).first()
        entry.action = "rewritten"
        with pytest.raises(AuditRecordChanged):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.query(AuditRecord).first())
        with pytest.raises(AuditRecordChanged):
            db.session.flush()
        db.session.rollback()


def test_sign_and_face_changes_are_audited(client, office, make, app):
    from sqlalchemy import select

    admin, hr = make.user("admin"), make.user("hr")
    sign = client.post(f"/api/v1/sites/{office['site']}/signs", json={}, headers=admin["headers"]).get_json()
    client.delete(f"/api/v1/sites/{office['site']}/signs/{sign['id']}", headers=admin["headers"])
    employee = office["alice"]["employee_id"]
    client.post(f"/api/v1/employees/{employee}/faces", headers=hr["headers"], content_type="multipart/form-data",
                data={"photo": (io.BytesIO(face_photo("obama/obama_2.jpg")), "f.jpg"), "consent": "true"})
    client.delete(f"/api/v1/employees/{employee}/faces", headers=hr["headers"])
    with app.app_context():
        actions = list(db.session.execute(select(AuditRecord.action, AuditRecord.actor_id, AuditRecord.entity_type)
                                          .where(AuditRecord.action.startswith("sign.")
                                                 | AuditRecord.action.startswith("face."))
                                          .order_by(AuditRecord.id)))
    assert [tuple(row) for row in actions] == [("sign.created", admin["id"], "sign"), ("sign.revoked", admin["id"], "sign"),
                                               ("face.enrolled", hr["id"], "employee"),
                                               ("face.erased", hr["id"], "employee")]


def test_evidence_has_fence_point_accuracy_results_and_photo_links(client, office, make):
    make.enrol(office["alice"]["employee_id"], "obama/obama_2.jpg")
    checkin_id = post_checkin(client, office["alice"], latitude="13.7532", longitude="100.5023", accuracy_m="20",
                              selfie=(io.BytesIO(face_photo("obama/obama_4.jpg")), "s.jpg")).get_json()["id"]
    evidence = client.get(f"/api/v1/checkins/{checkin_id}/evidence", headers=office["supervisor"]["headers"])
    assert evidence.status_code == 200
    body = evidence.get_json()
    assert body["fence"]["type"] == "Feature" and body["fence"]["geometry"]["type"] == "Polygon"
    assert body["point"] == {"type": "Point", "coordinates": [100.5023, 13.7532]}
    assert body["accuracy_radius_95_m"] == pytest.approx(32.4)
    assert 60 < body["distance_m"] < 70
    assert body["face"]["matched"] is True and body["sign"]["found"] is False
    assert [reason["code"] for reason in body["reasons"]] == ["GPS_DRIFT", "FACE_MATCH", "SIGN_MISSING"]
    assert all(reason["th"] and reason["en"] for reason in body["reasons"])
    headers = office["supervisor"]["headers"]
    assert client.get(body["selfie_url"], headers=headers).status_code == 200
    assert len(body["enrolled_thumbnail_urls"]) == 1
    assert client.get(body["enrolled_thumbnail_urls"][0], headers=headers).mimetype == "image/jpeg"
