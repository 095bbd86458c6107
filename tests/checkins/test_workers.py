"""Photo checks of GPS-accepted check-ins on a real Celery worker over Redis.

With the worker down, check-ins are accepted and queued; when it starts, the queue drains and
a face that is not the employee's flags its check-in. With the broker down, nothing is lost.
"""

import io
import os
import socket
import subprocess
import tempfile
import sys
import time
from pathlib import Path

import pytest

from tests.support.api import post_checkin
from tests.support.faces import face_photo
from tests.support.factory import Factory
from tests.support.processes import another_process

REDIS_URL = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parents[2]


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def queued_app(app):
    if not redis_answers():
        if os.environ.get("CI"):
            raise RuntimeError("Redis is needed at 127.0.0.1:6379 for the worker tests")
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return another_process(app, CELERY_BROKER_URL=REDIS_URL)


def start_worker(app) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "STORAGE_DIR": app.config["STORAGE_DIR"],
           "SECRET_KEY": app.config["SECRET_KEY"], "BIOMETRIC_KEYS": app.config["BIOMETRIC_KEYS"],
           "CELERY_BROKER_URL": REDIS_URL}
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "checkin.worker:celery", "worker", "--pool=solo",
                             "--loglevel=INFO", "--without-gossip", "--without-mingle"],
                            cwd=ROOT, env=env, stdout=open(Path(tempfile.gettempdir()) / "etk-worker.log", "w"), stderr=subprocess.STDOUT)


def wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_queued_checks_drain_when_the_worker_starts_and_a_wrong_face_flags(queued_app):
    make, client = Factory(queued_app), queued_app.test_client()
    employee = make.staff()
    make.enrol(employee["employee_id"], "obama/obama_2.jpg")
    own = post_checkin(client, employee, selfie=(io.BytesIO(face_photo("obama/obama_4.jpg")), "a.jpg")).get_json()
    other = post_checkin(client, employee, selfie=(io.BytesIO(face_photo("biden/biden_2.jpg")), "b.jpg")).get_json()
    again = post_checkin(client, employee, selfie=(io.BytesIO(face_photo("obama/obama_4.jpg")), "c.jpg")).get_json()
    for body in (own, other, again):  # the phone's answer waits for neither the face nor the history
        assert (body["status"], body["method"], body["verification"]) == ("accepted", "gps", "queued")

    worker = start_worker(queued_app)
    try:
        def checked(checkin_id):
            return client.get(f"/api/v1/checkins/{checkin_id}", headers=employee["headers"]).get_json()
        assert wait_for(lambda: all(checked(c["id"])["verification"] == "done" for c in (own, other, again))), \
            "the worker did not drain the queue"
    finally:
        worker.kill()
        worker.wait()
    own_after, other_after, again_after = checked(own["id"]), checked(other["id"]), checked(again["id"])
    # the first of two identical photos stays accepted; the later one is the re-used photo
    assert (own_after["status"], own_after["reasons"]) == ("accepted", ["INSIDE_GEOFENCE", "FACE_MATCH"])
    assert again_after["status"] == "flagged" and "DUPLICATE_PHOTO" in again_after["reasons"]
    assert other_after["status"] == "flagged" and "FACE_MISMATCH" in other_after["reasons"]
    trail = client.get(f"/api/v1/checkins/{other['id']}/audit", headers=employee["headers"]).get_json()
    assert trail[-1]["action"] == "checkin.verified"
    assert trail[-1]["before"]["status"] == "accepted" and trail[-1]["after"]["status"] == "flagged"


def test_with_the_broker_down_checkins_are_still_accepted_and_kept_queued(app):
    down = another_process(app, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    make, client = Factory(down), down.test_client()
    employee = make.staff()
    make.enrol(employee["employee_id"], "obama/obama_2.jpg")
    started = time.monotonic()
    body = post_checkin(client, employee, selfie=(io.BytesIO(face_photo("obama/obama_4.jpg")), "a.jpg")).get_json()
    assert time.monotonic() - started < 10
    assert (body["status"], body["verification"]) == ("accepted", "queued")
    with down.app_context():
        from checkin.checkins.service import queued_checkin_ids
        assert queued_checkin_ids() == [body["id"]]


def test_a_queued_selfie_missing_from_storage_is_flagged_after_bounded_tries(app, runner):
    """A worker that cannot read the API's storage must not leave the check-in queued for ever."""
    from sqlalchemy import select

    from checkin.checkins.models import CheckIn
    from checkin.checkins.service import MISSING_SELFIE_TRIES
    from checkin.database import db
    from checkin.storage import current_storage

    down = another_process(app, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    make, client = Factory(down), down.test_client()
    employee = make.staff()
    body = post_checkin(client, employee).get_json()
    assert body["verification"] == "queued"
    with app.app_context():
        checkin = db.session.get(CheckIn, body["id"])
        current_storage().delete(checkin.selfie_sha256, checkin.selfie_extension)

    def state():
        with app.app_context():
            return db.session.execute(select(CheckIn.verification, CheckIn.verification_tries, CheckIn.status,
                                             CheckIn.reasons).where(CheckIn.id == body["id"])).one()

    for tries in range(1, MISSING_SELFIE_TRIES):  # the sweep without a broker checks in-process
        result = runner.invoke(args=["requeue-verifications", "--older-than", "0"])
        assert result.exit_code == 0, result.output
        assert state()[:3] == ("queued", tries, "accepted")
    runner.invoke(args=["requeue-verifications", "--older-than", "0"])
    verification, tries, status, reasons = state()
    assert (verification, tries, status) == ("done", MISSING_SELFIE_TRIES, "flagged")
    assert "PHOTO_UNREADABLE" in reasons


def test_a_report_job_waits_for_a_worker_and_then_downloads(queued_app):
    make, client = Factory(queued_app), queued_app.test_client()
    hr = make.user("hr")
    make.staff()
    job = client.post("/api/v1/reports/jobs", json={"fiscal_year": 2568, "round": 2, "format": "csv"},
                      headers=hr["headers"]).get_json()
    assert job["status"] == "queued" and job["download_url"] is None
    not_ready = client.get(f"/api/v1/reports/jobs/{job['id']}/download", headers=hr["headers"])
    assert not_ready.status_code == 409
    worker = start_worker(queued_app)
    try:
        assert wait_for(lambda: client.get(job["status_url"], headers=hr["headers"]).get_json()["status"] == "done")
    finally:
        worker.kill()
        worker.wait()
    done = client.get(job["status_url"], headers=hr["headers"]).get_json()
    assert client.get(done["download_url"], headers=hr["headers"]).data.startswith(b"\xef\xbb\xbf")
