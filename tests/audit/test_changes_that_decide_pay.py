"""Every change that decides pay leaves a trace (who, when, before -> after), and nobody who keeps
those records keeps them for themselves."""

import pytest
from sqlalchemy import select

from checkin.audit.models import AuditRecord
from checkin.database import db
from checkin.timekeeping.models import Exemption, Leave
from tests.support.api import assert_error, upload_csv
from tests.support.places import SQUARE_CITY_HALL


def trail(app, entity_type: str, entity_id: int | None = None) -> list[AuditRecord]:
    with app.app_context():
        query = select(AuditRecord).where(AuditRecord.entity_type == entity_type).order_by(AuditRecord.id)
        if entity_id is not None:
            query = query.where(AuditRecord.entity_id == entity_id)
        records = list(db.session.scalars(query))
        db.session.expunge_all()
        return records


@pytest.fixture
def hr_with_a_record(make):
    """An HR officer who is also an employee (as every HR officer of the BMA is)."""
    return make.staff("hr")


def test_hr_cannot_exempt_grant_leave_or_import_punches_for_themselves(client, app, make, hr_with_a_record):
    hr, own = hr_with_a_record, hr_with_a_record["employee_id"]
    code = make.employee_code(own)
    headers = hr["headers"]
    assert_error(client.post("/api/v1/exemptions", headers=headers, json={
        "employee_id": own, "start_date": "2025-04-01", "end_date": "2025-09-30", "note": "ลงพื้นที่"}), 403, "OWN_RECORD")
    assert_error(client.post("/api/v1/leaves", headers=headers, json={
        "employee_id": own, "leave_type": "sick", "start_date": "2025-04-02", "end_date": "2025-04-02"}), 403,
        "OWN_RECORD")
    assert_error(upload_csv(client, "/api/v1/leaves/import", "employee_code,leave_type,start_date,end_date,half_day\n"
                            f"{code},personal,2025-04-03,2025-04-03,\n", headers), 403, "OWN_RECORD")
    assert_error(upload_csv(client, "/api/v1/punches/import", "employee_code,timestamp,kind,device_id\n"
                            f"{code},2025-04-04T08:20:00+07:00,in,FP-01\n", headers), 403, "OWN_RECORD")
    with app.app_context():
        assert db.session.query(Exemption).count() == 0 and db.session.query(Leave).count() == 0
    assert client.get("/api/v1/checkins", headers=headers).get_json() == []

    # The same records for a colleague are HR's work, and on the record with who did it.
    colleague = make.employee(make.unit())
    exemption = client.post("/api/v1/exemptions", headers=headers, json={
        "employee_id": colleague, "start_date": "2025-04-01", "end_date": "2025-04-30", "note": "ลงพื้นที่"})
    assert exemption.status_code == 201
    [created] = trail(app, "exemption", exemption.get_json()["id"])
    assert (created.action, created.actor_id) == ("exemption.created", hr["id"])
    assert created.after == {"employee_id": colleague, "start_date": "2025-04-01", "end_date": "2025-04-30",
                             "note": "ลงพื้นที่"}


def test_leave_holidays_and_schedules_are_audited_with_their_author(client, app, make):
    hr, admin = make.user("hr"), make.user("admin")
    colleague, unit = make.employee(make.unit()), make.unit()
    leave = client.post("/api/v1/leaves", headers=hr["headers"], json={
        "employee_id": colleague, "leave_type": "sick", "start_date": "2025-04-02", "end_date": "2025-04-03"})
    [record] = trail(app, "leave", leave.get_json()["id"])
    assert (record.action, record.actor_id, record.after["start_date"], record.after["leave_type"]) == (
        "leave.created", hr["id"], "2025-04-02", "sick")

    holiday = client.post("/api/v1/holidays", headers=admin["headers"], json={"day": "2025-05-02", "name_th": "วันหยุดพิเศษ"})
    assert client.delete(f"/api/v1/holidays/{holiday.get_json()['id']}", headers=admin["headers"]).status_code == 204
    declared, withdrawn = trail(app, "holiday", holiday.get_json()["id"])
    assert (declared.action, withdrawn.action) == ("holiday.declared", "holiday.withdrawn")
    assert withdrawn.before == {"day": "2025-05-02", "name_th": "วันหยุดพิเศษ", "unit_id": None}
    assert {declared.actor_id, withdrawn.actor_id} == {admin["id"]}

    schedule = make.schedule()
    client.post("/api/v1/schedules/assignments", headers=admin["headers"],
                json={"schedule_id": schedule, "unit_id": unit, "valid_from": "2025-04-01"})
    override = client.post("/api/v1/schedules/overrides", headers=admin["headers"],
                           json={"day": "2025-04-10", "start": "10:00:00", "note": "ฝนตกหนัก"})
    assigned = [record for record in trail(app, "schedule", schedule) if record.action == "schedule.assigned"]
    assert assigned[0].after["unit_id"] == unit and assigned[0].after["valid_from"] == "2025-04-01"
    [overridden] = trail(app, "schedule_override", override.get_json()["id"])
    assert overridden.after["start"] == "10:00:00" and overridden.actor_id == admin["id"]


def test_roles_led_units_password_resets_and_moves_are_audited(client, app, make):
    admin = make.user("admin")
    unit, other_unit = make.unit(), make.unit()
    person = make.staff("employee", unit)
    changed = client.patch(f"/api/v1/users/{person['id']}", headers=admin["headers"], json={
        "role": "supervisor", "led_unit_ids": [other_unit], "password": "a-new-long-password-7"})
    assert changed.status_code == 200
    [updated] = [record for record in trail(app, "user", person["id"]) if record.action == "user.updated"]
    assert updated.actor_id == admin["id"]
    assert updated.before == {"role": "employee", "led_unit_ids": []}
    assert updated.after == {"role": "supervisor", "led_unit_ids": [other_unit], "password_reset": True}
    assert "a-new-long-password-7" not in str(updated.after)

    moved = client.patch(f"/api/v1/employees/{person['employee_id']}", headers=admin["headers"],
                         json={"unit_id": other_unit})
    assert moved.status_code == 200
    [move] = [record for record in trail(app, "employee", person["employee_id"]) if record.action == "employee.updated"]
    assert (move.before, move.after, move.actor_id) == ({"unit_id": unit}, {"unit_id": other_unit}, admin["id"])


def test_a_change_of_a_sites_geometry_is_audited_before_and_after(client, app, make):
    admin = make.user("admin")
    site = make.site()
    moved = [[[lon + 0.2, lat] for lon, lat in SQUARE_CITY_HALL["coordinates"][0]]]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": moved},
               "properties": {"code": "MOVED", "name": "ที่ทำการใหม่", "drift_tolerance_m": 50, "max_accuracy_m": 100}}
    assert client.put(f"/api/v1/sites/{site}", headers=admin["headers"], json=feature).status_code == 200
    changed = [record for record in trail(app, "site", site) if record.action == "site.changed"]
    assert len(changed) == 1 and changed[0].actor_id == admin["id"]
    assert changed[0].before["geometry"] == SQUARE_CITY_HALL
    assert changed[0].after["geometry"]["coordinates"] == moved and changed[0].after["version"] == 2
