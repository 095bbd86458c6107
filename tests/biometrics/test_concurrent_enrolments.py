"""Eight enrolments of one employee at once (an admin's double clicks, a bulk job beside the
API): the limit of five faces holds, and each photo is analysed safely in its own thread."""

import io
import threading

from checkin.biometrics.models import FaceEnrollment
from checkin.database import db
from tests.support.faces import face_photo

AT_ONCE = 8


def test_concurrent_enrolments_store_at_most_five_faces(app, make):
    photo = face_photo("obama/obama_1.jpg")
    employee_id = make.employee(make.unit())
    admin = make.user("admin")
    start, answers = threading.Barrier(AT_ONCE), []

    def enrol() -> None:
        with app.test_client() as client:
            start.wait()
            answers.append(client.post(f"/api/v1/employees/{employee_id}/faces", headers=admin["headers"],
                                       data={"photo": (io.BytesIO(photo), "face.jpg"), "consent": "true"},
                                       content_type="multipart/form-data"))

    threads = [threading.Thread(target=enrol) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answer.status_code for answer in answers) == [201] * 5 + [409] * 3
    assert {answer.get_json()["reason"] for answer in answers if answer.status_code == 409} == {"FACE_LIMIT"}
    with app.app_context():
        assert db.session.query(FaceEnrollment).filter_by(employee_id=employee_id).count() == 5
