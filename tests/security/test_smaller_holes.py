"""Smaller holes an insider or a careless deployment would find: cached personal data, request ids
that reach the audit trail, a former employee's right to their data, one's own password, ids
handed on after deletion."""

import io

from checkin.audit.models import AuditRecord
from checkin.database import db
from tests.support.api import assert_error, checkin_form, login, post_checkin
from tests.support.faces import face_photo


def test_evidence_reports_and_job_files_are_never_cached(client, make):
    employee, hr = make.staff(), make.user("hr")
    checkin = post_checkin(client, employee).get_json()
    evidence = client.get(f"/api/v1/checkins/{checkin['id']}/evidence", headers=hr["headers"])
    report = client.get("/api/v1/reports/salary-step?fiscal_year=2568&round=2&format=csv", headers=hr["headers"])
    job = client.post("/api/v1/reports/jobs", headers=hr["headers"],
                      json={"fiscal_year": 2568, "round": 2, "format": "xlsx"}).get_json()
    download = client.get(job["download_url"], headers=hr["headers"])
    for response in (evidence, report, download):
        assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]


def test_a_clients_request_id_reaches_the_audit_trail_only_when_short_and_plain(client, make, app):
    employee = make.staff()
    response = client.post("/api/v1/checkins", data=checkin_form(), content_type="multipart/form-data",
                           headers={**employee["headers"], "X-Request-ID": "x" * 65 + "<script>"})
    assert response.status_code == 201
    with app.app_context():
        ids = {record.request_id for record in db.session.query(AuditRecord).filter_by(
            entity_type="checkin", entity_id=response.get_json()["id"])}
    assert ids == {response.headers["X-Request-ID"]} and len(response.headers["X-Request-ID"]) == 32


def test_a_former_employee_still_downloads_their_own_data(client, make):
    employee, admin = make.staff(), make.user("admin")
    post_checkin(client, employee)
    left = client.patch(f"/api/v1/employees/{employee['employee_id']}", headers=admin["headers"], json={"active": False})
    assert left.status_code == 200
    export = client.get("/api/v1/me/export", headers=employee["headers"])
    assert export.status_code == 200 and export.mimetype == "application/zip"


def test_a_user_changes_their_own_password_and_other_sessions_end(client, make):
    user = make.staff()
    other_device = login(client, user["username"], "punch-clock-42").get_json()["access_token"]
    assert_error(client.post("/api/v1/me/password", headers=user["headers"], json={
        "current_password": "not-my-password", "new_password": "a-brand-new-password-5"}), 422, "WRONG_PASSWORD")
    assert_error(client.post("/api/v1/me/password", headers=user["headers"], json={
        "current_password": "punch-clock-42", "new_password": "short"}), 422, "WEAK_PASSWORD")

    changed = client.post("/api/v1/me/password", headers=user["headers"], json={
        "current_password": "punch-clock-42", "new_password": "a-brand-new-password-5"})
    assert changed.status_code == 200
    fresh = {"Authorization": f"Bearer {changed.get_json()['access_token']}"}
    assert client.get(f"/api/v1/employees/{user['employee_id']}", headers=fresh).status_code == 200
    for old in (user["headers"], {"Authorization": f"Bearer {other_device}"}):
        assert client.get(f"/api/v1/employees/{user['employee_id']}", headers=old).status_code == 401
    assert login(client, user["username"], "punch-clock-42").status_code == 401
    assert login(client, user["username"], "a-brand-new-password-5").status_code == 200


def test_guessing_the_current_password_with_a_stolen_token_is_locked_out(client, make):
    user = make.staff()
    for _ in range(5):
        client.post("/api/v1/me/password", headers=user["headers"], json={
            "current_password": "guess", "new_password": "a-brand-new-password-5"})
    assert_error(client.post("/api/v1/me/password", headers=user["headers"], json={
        "current_password": "punch-clock-42", "new_password": "a-brand-new-password-5"}), 429, "LOGIN_LOCKED")


def test_ids_of_erased_faces_and_withdrawn_holidays_are_not_given_again(client, make):
    admin = make.user("admin")["headers"]
    employee_id = make.employee(make.unit())
    photo = face_photo("obama/obama_1.jpg")

    def enrol() -> int:
        return client.post(f"/api/v1/employees/{employee_id}/faces", headers=admin, content_type="multipart/form-data",
                           data={"photo": (io.BytesIO(photo), "f.jpg"), "consent": "true"}).get_json()[0]["id"]

    first = enrol()
    assert client.delete(f"/api/v1/employees/{employee_id}/faces", headers=admin).status_code == 204
    assert enrol() > first

    holiday = client.post("/api/v1/holidays", headers=admin, json={"day": "2025-05-02", "name_th": "หยุด"}).get_json()
    client.delete(f"/api/v1/holidays/{holiday['id']}", headers=admin)
    again = client.post("/api/v1/holidays", headers=admin, json={"day": "2025-05-02", "name_th": "หยุด"}).get_json()
    assert again["id"] > holiday["id"]
