"""PDPA: face encodings sealed at rest, the retention job, former employees' face data, and
an employee's download of their own data."""

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text, update

from checkin.database import db, utcnow
from checkin.checkins.models import CheckIn
from tests.support.api import assert_error, post_checkin
from tests.support.faces import face_photo
from tests.support.images import jpeg_bytes


def test_face_encodings_are_sealed_at_rest_and_still_match(client, make, app):
    employee = make.staff()
    make.enrol(employee["employee_id"], "obama/obama_2.jpg")
    body = post_checkin(client, employee, selfie=(io.BytesIO(face_photo("obama/obama_4.jpg")), "a.jpg")).get_json()
    assert body["face"]["matched"] is True  # read back through the cipher
    with app.app_context():
        stored = [bytes(row[0]) for row in db.session.execute(text(
            "SELECT encoding FROM face_enrollments UNION ALL "
            "SELECT selfie_face_encoding FROM checkins WHERE selfie_face_encoding IS NOT NULL"))]
    assert len(stored) == 2
    for blob in stored:  # Fernet tokens, not 128 float32 values
        assert blob.startswith(b"gAAAAA") and len(blob) != 512


def test_retention_purges_old_selfies_and_keeps_the_attendance_facts(client, make, app, runner):
    employee = make.staff()
    old = post_checkin(client, employee, selfie=(io.BytesIO(jpeg_bytes(seed=1)), "a.jpg")).get_json()
    recent = post_checkin(client, employee, selfie=(io.BytesIO(jpeg_bytes(seed=2)), "b.jpg")).get_json()
    with app.app_context():
        db.session.execute(update(CheckIn).where(CheckIn.id == old["id"]).values(
            received_at=utcnow() - timedelta(days=91)))
        db.session.commit()
        sha256 = db.session.scalar(select(CheckIn.selfie_sha256).where(CheckIn.id == old["id"]))
    old_file = next(Path(app.config["STORAGE_DIR"]).rglob(f"{sha256}.*"))

    result = runner.invoke(args=["purge-biometrics"])
    assert result.exit_code == 0, result.output
    assert "purged: 1 check-ins, 1 files deleted" in result.output

    assert not old_file.exists()
    assert_error(client.get(f"/api/v1/checkins/{old['id']}/selfie", headers=employee["headers"]), 410, "SELFIE_PURGED")
    assert client.get(f"/api/v1/checkins/{recent['id']}/selfie", headers=employee["headers"]).status_code == 200
    kept = client.get(f"/api/v1/checkins/{old['id']}", headers=employee["headers"]).get_json()
    assert (kept["status"], kept["kind"], kept["reasons"]) == (old["status"], old["kind"], old["reasons"])
    trail = client.get(f"/api/v1/checkins/{old['id']}/audit", headers=employee["headers"]).get_json()
    assert trail[-1]["action"] == "selfie.purged" and trail[-1]["after"]["retention_days"] == 90
    assert "purged: 0 check-ins" in runner.invoke(args=["purge-biometrics"]).output  # nothing twice


def test_face_data_of_a_former_employee_is_erased_by_the_retention_job(client, make, app, runner):
    admin = make.user("admin")["headers"]
    employee = make.staff()
    make.enrol(employee["employee_id"], "obama/obama_2.jpg")
    post_checkin(client, employee, selfie=(io.BytesIO(face_photo("obama/obama_4.jpg")), "a.jpg"))
    assert client.patch(f"/api/v1/employees/{employee['employee_id']}", json={"active": False},
                        headers=admin).status_code == 200
    result = runner.invoke(args=["purge-biometrics"])
    assert "former employees' face data erased: 1" in result.output, result.output
    assert client.get(f"/api/v1/employees/{employee['employee_id']}/faces", headers=admin).get_json() == []
    with app.app_context():
        assert db.session.scalar(select(CheckIn.selfie_face_encoding)) is None
        assert db.session.scalar(select(CheckIn.status)) == "accepted"  # the attendance fact stays


def test_a_person_past_their_last_day_of_service_no_longer_checks_in_and_loses_face_data(client, make, runner):
    """Leaving service is a date, not only the active switch: after it nothing is checked in and
    the face data goes, while the account stays for the own-data download."""
    admin = make.user("admin")["headers"]
    employee = make.staff()
    make.enrol(employee["employee_id"], "obama/obama_2.jpg")
    last_day = (utcnow() - timedelta(days=2)).date().isoformat()
    assert client.patch(f"/api/v1/employees/{employee['employee_id']}", headers=admin, json={
        "employment_ended_on": last_day, "employment_end_reason": "retired"}).status_code == 200
    assert_error(post_checkin(client, employee), 403, "EMPLOYMENT_ENDED")
    result = runner.invoke(args=["purge-biometrics"])
    assert "former employees' face data erased: 1" in result.output, result.output
    assert client.get(f"/api/v1/employees/{employee['employee_id']}/faces", headers=admin).get_json() == []
    assert client.get("/api/v1/me/export", headers=employee["headers"]).status_code == 200


def test_an_employee_downloads_their_own_data(client, make):
    employee = make.staff()
    other = make.staff()
    mine = post_checkin(client, employee).get_json()
    post_checkin(client, other)
    face = make.enrol(employee["employee_id"])
    make.enrol(other["employee_id"], "obama/obama_2.jpg")
    response = client.get("/api/v1/me/export", headers=employee["headers"])
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("data.json"))
    assert data["employee"]["id"] == employee["employee_id"]
    assert [checkin["id"] for checkin in data["checkins"]] == [mine["id"]]  # only their own
    assert data["account"]["username"] == employee["username"] and "password" not in data["account"]
    assert [item["id"] for item in data["face_enrollments"]] == [face]
    assert archive.namelist() == ["data.json", f"selfies/{mine['id']}.jpg", f"faces/{face}.jpg"]
    assert archive.read(f"faces/{face}.jpg").startswith(b"\xff\xd8")  # the thumbnail itself
    assert_error(client.get("/api/v1/me/export", headers=make.user("hr")["headers"]), 403, "NO_EMPLOYEE_RECORD")
