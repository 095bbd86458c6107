"""Face enrollment over HTTP and the CLI: consent, refusals, listing, erasure."""

import io
from pathlib import Path

from sqlalchemy import func, select

from checkin.accounts.models import User
from checkin.audit.models import AuditRecord
from checkin.biometrics.models import FaceEnrollment
from checkin.database import db
from checkin.checkins.models import CheckIn
from tests.support.api import assert_error, post_checkin
from tests.support.faces import face_photo
from tests.support.images import jpeg_bytes


def enrol(client, headers, employee_id, photo: bytes, consent="true"):
    return client.post(f"/api/v1/employees/{employee_id}/faces", headers=headers,
                       data={"photo": (io.BytesIO(photo), "face.jpg"), "consent": consent},
                       content_type="multipart/form-data")


def count_enrollments(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(FaceEnrollment))


def test_hr_enrols_a_face_with_recorded_consent(client, make, app):
    hr = make.user("hr")
    employee = make.staff()
    response = enrol(client, hr["headers"], employee["employee_id"], face_photo("obama/obama_2.jpg"))
    assert response.status_code == 201, response.get_json()
    [body] = response.get_json()
    assert body["consent_recorded_by_id"] == hr["id"] and body["source"] == "api"
    assert body["consent_at"].endswith("+07:00")

    thumbnail = client.get(body["thumbnail_url"], headers=hr["headers"])
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg"
    with app.app_context():  # a look at a face picture is audited, like a look at a selfie
        viewed = db.session.scalars(select(AuditRecord).where(AuditRecord.action == "face.viewed")).all()
        assert [(entry.entity_id, entry.actor_id, entry.after) for entry in viewed] == [
            (employee["employee_id"], hr["id"], {"face_id": body["id"]})]
    listed = client.get(f"/api/v1/employees/{employee['employee_id']}/faces", headers=employee["headers"])
    assert [item["id"] for item in listed.get_json()] == [body["id"]]


def test_consent_is_required(client, make, app):
    employee = make.staff()
    body = assert_error(enrol(client, make.user("hr")["headers"], employee["employee_id"],
                              face_photo("obama/obama_2.jpg"), consent="false"), 422, "CONSENT_REQUIRED")
    assert "consent" in body["errors"]
    assert_error(client.post(f"/api/v1/employees/{employee['employee_id']}/faces",
                             headers=make.user("hr")["headers"],
                             data={"photo": (io.BytesIO(face_photo("obama/obama_2.jpg")), "f.jpg")},
                             content_type="multipart/form-data"), 422)
    assert count_enrollments(app) == 0


def test_photos_that_cannot_identify_one_person_are_refused(client, make, app):
    from PIL import Image

    hr = make.user("hr")["headers"]
    employee = make.staff()["employee_id"]
    assert_error(enrol(client, hr, employee, jpeg_bytes()), 422, "NO_FACE")
    assert_error(enrol(client, hr, employee, face_photo("group/two_people.jpg")), 422, "MULTIPLE_FACES")
    small = Image.open(io.BytesIO(face_photo("obama/obama_480p.jpg")))
    buffer = io.BytesIO()
    small.resize((300, 169)).save(buffer, "JPEG")
    assert_error(enrol(client, hr, employee, buffer.getvalue()), 422, "FACE_TOO_SMALL")
    assert_error(enrol(client, hr, employee, b"not an image at all"), 415, "IMAGE_FORMAT")
    assert count_enrollments(app) == 0


def test_at_most_five_faces_per_employee(client, make, app):
    hr = make.user("hr")["headers"]
    employee = make.staff()["employee_id"]
    photos = ["obama/obama_1.jpg", "obama/obama_2.jpg", "obama/obama_3.jpg", "obama/obama_4.jpg",
              "obama/obama_1080p.jpg"]
    for photo in photos:
        assert enrol(client, hr, employee, face_photo(photo)).status_code == 201
    assert_error(enrol(client, hr, employee, face_photo("obama/obama_480p.jpg")), 409, "FACE_LIMIT")


def test_erasure_removes_encodings_thumbnails_and_selfie_encodings_but_keeps_attendance(client, make, app):
    hr = make.user("hr")["headers"]
    employee = make.staff()
    [enrolled] = enrol(client, hr, employee["employee_id"], face_photo("obama/obama_2.jpg")).get_json()
    checkin = post_checkin(client, employee, selfie=(io.BytesIO(face_photo("obama/obama_4.jpg")), "s.jpg"))
    assert checkin.get_json()["face"]["matched"] is True
    with app.app_context():
        stored = db.session.get(FaceEnrollment, enrolled["id"])
        thumbnail = Path(app.config["STORAGE_DIR"]) / stored.thumbnail_sha256[:2] / stored.thumbnail_sha256[2:4] \
            / f"{stored.thumbnail_sha256}.jpg"
        assert db.session.scalar(select(CheckIn.selfie_face_encoding)) is not None
    assert thumbnail.exists()

    assert client.delete(f"/api/v1/employees/{employee['employee_id']}/faces", headers=hr).status_code == 204
    assert count_enrollments(app) == 0
    assert not thumbnail.exists()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
        assert db.session.scalar(select(CheckIn.selfie_face_encoding)) is None
    assert client.get(enrolled["thumbnail_url"], headers=hr).status_code == 404
    assert client.get(f"/api/v1/employees/{employee['employee_id']}/faces", headers=hr).get_json() == []


def test_enroll_faces_cli_reads_folders_and_prefixes(runner, make, app, tmp_path):
    from checkin.org.models import Employee

    make.user("admin")
    first, second = make.employee(make.unit()), make.employee(make.unit())
    with app.app_context():
        codes = [db.session.get(Employee, first).code, db.session.get(Employee, second).code]
        admin = db.session.scalar(select(User.username).where(User.role == "admin"))
    (tmp_path / codes[0]).mkdir()
    (tmp_path / codes[0] / "front.jpg").write_bytes(face_photo("obama/obama_2.jpg"))
    (tmp_path / f"{codes[1]}_1.jpg").write_bytes(face_photo("biden/biden_2.jpg"))
    (tmp_path / f"{codes[1]}_2.jpg").write_bytes(face_photo("group/two_people.jpg"))
    (tmp_path / "NOBODY.jpg").write_bytes(face_photo("biden/biden_1.jpg"))

    refused = runner.invoke(args=["enroll-faces", str(tmp_path), "--by", admin])
    assert refused.exit_code != 0 and count_enrollments(app) == 0  # no consent flag, nothing stored

    result = runner.invoke(args=["enroll-faces", str(tmp_path), "--consent-confirmed", "--by", admin])
    assert result.exit_code == 0, result.output
    assert "2 faces enrolled, 2 photos skipped." in result.output
    assert "MULTIPLE_FACES" in result.output and "NOBODY" in result.output
    assert count_enrollments(app) == 2


def enrol_many(client, headers, employee_id, photos: list[bytes]):
    return client.post(f"/api/v1/employees/{employee_id}/faces", headers=headers, content_type="multipart/form-data",
                       data={"photo": [(io.BytesIO(photo), f"face{n}.jpg") for n, photo in enumerate(photos)],
                             "consent": "true"})


def test_several_photos_are_enrolled_in_one_request(client, make, app):
    hr, employee = make.user("hr")["headers"], make.staff()
    response = enrol_many(client, hr, employee["employee_id"],
                          [face_photo("alex_lacamoire/alex_lacamoire_1.png"), face_photo("alex_lacamoire/alex_lacamoire_2.jpg")])
    assert response.status_code == 201, response.get_json()
    assert [face["employee_id"] for face in response.get_json()] == [employee["employee_id"]] * 2
    assert count_enrollments(app) == 2


def test_one_bad_photo_among_several_stores_none_and_names_it(client, make, app):
    hr, employee = make.user("hr")["headers"], make.staff()
    body = assert_error(enrol_many(client, hr, employee["employee_id"], [face_photo("obama/obama_1.jpg"), jpeg_bytes()]),
                        422, "NO_FACE")
    assert "photo 2" in body["errors"] and "photo 2" in body["message"]
    assert count_enrollments(app) == 0


def test_photos_of_different_people_are_not_enrolled_as_one_employee(client, make, app):
    hr, employee = make.user("hr")["headers"], make.staff()
    assert_error(enrol_many(client, hr, employee["employee_id"],
                            [face_photo("obama/obama_1.jpg"), face_photo("biden/biden_1.jpg")]), 422, "FACES_DIFFER")
    assert enrol(client, hr, employee["employee_id"], face_photo("obama/obama_1.jpg")).status_code == 201
    # nor later, beside a face already enrolled
    assert_error(enrol(client, hr, employee["employee_id"], face_photo("biden/biden_1.jpg")), 422, "FACES_DIFFER")
    assert count_enrollments(app) == 1


def test_more_photos_than_the_limit_in_one_request_are_refused_whole(client, make, app):
    hr, employee = make.user("hr")["headers"], make.staff()
    photo = face_photo("obama/obama_1.jpg")
    assert enrol_many(client, hr, employee["employee_id"], [photo] * 4).status_code == 201
    assert_error(enrol_many(client, hr, employee["employee_id"], [photo] * 2), 409, "FACE_LIMIT")
    assert count_enrollments(app) == 4
