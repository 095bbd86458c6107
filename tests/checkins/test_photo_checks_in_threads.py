"""Photo check-ins and enrolments at once, on the shipped gunicorn settings (gthread: one process,
several threads) and on a threaded Celery worker. dlib's models are shared by the threads of a
process: before, a burst like this killed the workers (SIGABRT, 'double free or corruption')."""

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import urllib3

from checkin import create_app
from checkin.checkins.service import queued_count
from checkin.migrations import upgrade_to_head
from tests.support.api import checkin_form
from tests.support.faces import face_photo
from tests.support.factory import Factory
from tests.support.processes import TEST_BIOMETRIC_KEY
from tests.support.selfies import compose, jpeg

REPOSITORY = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/14"
DRIFT = {"latitude": "13.7532", "longitude": "100.5023", "accuracy_m": "20"}  # the photo decides here
CRASHES = ("SIGABRT", "SIGSEGV", "was sent", "double free", "corruption", "Segmentation fault")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def deployment(tmp_path):
    """A database and storage of its own, with an enrolled employee, eight to enrol, a sign and
    its poster; the environment a server or worker of it runs with."""
    url, storage = f"sqlite:///{tmp_path / 'served.db'}", str(tmp_path / "storage")
    upgrade_to_head(url)
    config = {"DATABASE_URL": url, "STORAGE_DIR": storage, "SECRET_KEY": "served-secret-0123456789abcdef0123",
              "BIOMETRIC_KEYS": TEST_BIOMETRIC_KEY}
    app = create_app({**config, "TESTING": True, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    make = Factory(app)
    site = make.site()
    unit = make.unit(site_ids=(site,))
    employee = make.staff(unit_id=unit)
    make.enrol(employee["employee_id"], "obama/obama_2.jpg")
    admin = make.user("admin")
    client = app.test_client()
    sign = client.post(f"/api/v1/sites/{site}/signs", json={}, headers=admin["headers"]).get_json()
    poster = client.get(sign["poster_png_url"], headers=admin["headers"]).data
    env = {**os.environ, **config, "CHECKIN_RATE_LIMIT": "1000 per minute", "GUNICORN_ACCESSLOG": "",
           "REDIS_URL": "", "CELERY_BROKER_URL": "", "WEB_CONCURRENCY": "1"}
    return {"env": env, "employee": employee, "admin": admin, "poster": poster, "log": tmp_path / "server.log",
            "to_enrol": [make.employee(unit) for _ in range(8)]}


def start_server(deployment, **env) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=REPOSITORY,
                              env={**deployment["env"], "BIND": f"127.0.0.1:{port}", **env},
                              stdout=open(deployment["log"], "w"), stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib3.request("GET", f"{base}/healthz", timeout=1)
            return server, base
        except urllib3.exceptions.HTTPError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    raise RuntimeError(deployment["log"].read_text())


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the main process only, as an orchestrator stops it: a SIGTERM to the whole group
    also reaches gunicorn's worker directly, which its master then logs as "was sent SIGTERM!"
    (what a crash looks like here). The group is killed only if it does not stop."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def post_checkin(base: str, employee: dict, photo: bytes, **fields) -> int:
    form = {key: value for key, value in checkin_form(**fields).items() if key != "selfie"}
    response = urllib3.request("POST", f"{base}/api/v1/checkins", headers=employee["headers"], timeout=120,
                               fields={**form, "selfie": ("selfie.jpg", photo, "image/jpeg")})
    return response.status


def enrol(base: str, admin: dict, employee_id: int, photo: bytes) -> int:
    response = urllib3.request("POST", f"{base}/api/v1/employees/{employee_id}/faces", headers=admin["headers"],
                               fields={"consent": "true", "photo": ("face.jpg", photo, "image/jpeg")}, timeout=120)
    return response.status


def selfies(poster: bytes, count: int) -> list[bytes]:
    """Different photos of the enrolled face beside the sign (the same photo twice is a replay)."""
    return [jpeg(compose("obama/obama_1.jpg", poster, width_fraction=0.26 + 0.005 * n, rotate=n - count / 2))
            for n in range(count)]


def test_sixteen_photo_checkins_and_eight_enrolments_at_once_on_the_shipped_gunicorn(deployment):
    photos, face = selfies(deployment["poster"], 16), face_photo("obama/obama_2.jpg")
    server, base = start_server(deployment)
    try:
        with ThreadPoolExecutor(24) as pool:
            checkins = [pool.submit(post_checkin, base, deployment["employee"], photo, **DRIFT) for photo in photos]
            enrolments = [pool.submit(enrol, base, deployment["admin"], employee_id, face)
                          for employee_id in deployment["to_enrol"]]
            statuses = [future.result() for future in checkins], [future.result() for future in enrolments]
        assert server.poll() is None
    finally:
        stop(server)
    log = deployment["log"].read_text()
    assert statuses == ([201] * 16, [201] * 8), log[-3000:]
    assert not [word for word in CRASHES if word in log], log[-3000:]


def test_a_threaded_celery_worker_checks_queued_photos_at_once(deployment):
    if subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], capture_output=True).returncode != 0:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    broker = {"CELERY_BROKER_URL": REDIS_URL}
    server, base = start_server(deployment, **broker)
    try:  # inside the fence: accepted at once, the photo check queued for the worker
        with ThreadPoolExecutor(16) as pool:
            assert set(pool.map(lambda photo: post_checkin(base, deployment["employee"], photo),
                                selfies(deployment["poster"], 16))) == {201}
    finally:
        stop(server)
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "checkin.worker:celery", "worker", "--pool=threads",
                               "--concurrency=8", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
                              cwd=REPOSITORY, env={**deployment["env"], **broker}, start_new_session=True,
                              stdout=open(deployment["log"], "w"), stderr=subprocess.STDOUT)
    app = create_app({**{key: deployment["env"][key] for key in ("DATABASE_URL", "STORAGE_DIR", "SECRET_KEY",
                                                                "BIOMETRIC_KEYS")}, "TESTING": True})
    def left() -> int:  # each look in a transaction of its own: SQLite's write lock is not held between
        with app.app_context():
            return queued_count()

    try:
        deadline = time.monotonic() + 300  # only waits as long as the queue takes; a loaded machine is slow
        while left() and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.5)
        assert worker.poll() is None and left() == 0, deployment["log"].read_text()[-3000:]
    finally:
        stop(worker)
    assert not [word for word in CRASHES if word in deployment["log"].read_text()]
