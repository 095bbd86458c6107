"""One content-addressed store holds selfies and enrolled faces' thumbnails: the same bytes are
one file. An employee may download their own thumbnail and send it as a selfie; erasing one
kind of data must not delete the file the other still uses."""

import io
from datetime import timedelta

from sqlalchemy import update

from checkin.checkins.models import CheckIn
from checkin.database import db, utcnow
from tests.support.api import post_checkin


def thumbnail_sent_as_selfie(client, make) -> tuple[dict, dict, bytes]:
    """(employee, their check-in, the thumbnail bytes): the check-in's selfie is the thumbnail."""
    employee = make.staff()
    make.enrol(employee["employee_id"])
    [face] = client.get(f"/api/v1/employees/{employee['employee_id']}/faces", headers=employee["headers"]).get_json()
    thumbnail = client.get(face["thumbnail_url"], headers=employee["headers"]).get_data()
    checkin = post_checkin(client, employee, selfie=(io.BytesIO(thumbnail), "selfie.jpg", "image/jpeg"))
    assert checkin.status_code == 201, checkin.get_json()
    return employee, checkin.get_json(), thumbnail


def test_erasing_faces_keeps_a_selfie_with_the_same_bytes(client, make):
    employee, checkin, thumbnail = thumbnail_sent_as_selfie(client, make)
    admin = make.user("admin")["headers"]
    assert client.delete(f"/api/v1/employees/{employee['employee_id']}/faces", headers=admin).status_code == 204

    selfie = client.get(f"/api/v1/checkins/{checkin['id']}/selfie", headers=employee["headers"])
    assert selfie.status_code == 200 and selfie.get_data() == thumbnail


def test_purging_old_selfies_keeps_an_enrolled_thumbnail_with_the_same_bytes(client, make, app, runner):
    employee, checkin, thumbnail = thumbnail_sent_as_selfie(client, make)
    with app.app_context():
        db.session.execute(update(CheckIn).where(CheckIn.id == checkin["id"]).values(
            received_at=utcnow() - timedelta(days=91)))
        db.session.commit()

    result = runner.invoke(args=["purge-biometrics"])
    assert "purged: 1 check-ins, 0 files deleted" in result.output, result.output

    [face] = client.get(f"/api/v1/employees/{employee['employee_id']}/faces", headers=employee["headers"]).get_json()
    kept = client.get(face["thumbnail_url"], headers=employee["headers"])
    assert kept.status_code == 200 and kept.get_data() == thumbnail
