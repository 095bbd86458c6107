"""Fixtures: one app and schema per test session (built by the real Alembic migrations), every
table emptied after each test, and factories that create rows through the service layer.

TEST_DATABASE_URL picks the backend: unset means a temporary SQLite file; `make test` runs the
suite once more with PostgreSQL.
"""

from __future__ import annotations

import io
import itertools
import os
import random
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from checkin import create_app
from checkin.config import normalise_database_url
from checkin.database import Base, db
from checkin.extensions import limiter
from checkin.migrations import upgrade_to_head
from checkin.database import import_all_models
from checkin.timezones import BANGKOK

SQUARE_CITY_HALL = {  # about 200 m x 170 m around Bangkok City Hall, Sao Chingcha
    "type": "Polygon",
    "coordinates": [[[100.4999, 13.7525], [100.5017, 13.7525], [100.5017, 13.7540],
                     [100.4999, 13.7540], [100.4999, 13.7525]]],
}
INSIDE_CITY_HALL = (13.7532, 100.5008)  # (latitude, longitude)


FACE_FIXTURES = Path(os.environ.get("FACE_FIXTURES") or Path(__file__).resolve().parents[2] / "shared/fixtures/faces")


def face_photo(relative: str) -> bytes:
    """A real photo from ../shared/fixtures/faces (beside the clone, as in CI)."""
    path = FACE_FIXTURES / relative
    if not path.exists():
        if os.environ.get("CI"):
            raise FileNotFoundError(f"face fixtures missing at {FACE_FIXTURES}")
        pytest.skip(f"face fixtures not found at {FACE_FIXTURES}")
    return path.read_bytes()


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _reset_schema(url: str) -> None:
    """Start from an empty database so the migrations, not leftovers, define the schema."""
    if url.startswith("postgresql"):
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        except OperationalError as error:
            pytest.exit(f"PostgreSQL at TEST_DATABASE_URL={url} is not reachable: {error}", returncode=3)
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = _database_url(tmp_path_factory)
    _reset_schema(url)
    upgrade_to_head(url)
    return url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    import_all_models()
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "STORAGE_DIR": str(tmp_path_factory.mktemp("storage")),
        "SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        # A fast hash keeps factories cheap; production uses scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    return app


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        limiter.reset()
        session = db.session
        if session.bind.dialect.name == "postgresql":
            tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
            session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(table.delete())
        session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def jpeg_bytes(width: int = 320, height: int = 240, seed: int | None = None) -> bytes:
    """A textured photo; a different one on every call unless a seed is given, so that
    separate check-ins never look like a re-used photo."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (width // 8, height // 8), rng.randbytes(width * height * 3 // 64))
    buffer = io.BytesIO()
    image.resize((width, height), Image.Resampling.BICUBIC).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def another_process(app, **overrides):
    """A second app on the same database and storage: what another API node or worker sees."""
    from checkin import create_app

    keys = ("TESTING", "DATABASE_URL", "SECRET_KEY", "PASSWORD_HASH_METHOD", "STORAGE_DIR")
    return create_app({**{key: app.config[key] for key in keys}, **overrides})


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone(BANGKOK).isoformat(timespec="seconds")


class Factory:
    """Creates committed rows; returns plain values (ids, tokens) that outlive the session."""

    _numbers = itertools.count(1)

    def __init__(self, app):
        self.app = app

    def _next(self, prefix: str) -> str:
        return f"{prefix}{next(self._numbers):05d}"

    def site(self, geometry: dict | None = None, drift_tolerance_m: float = 50.0,
             max_accuracy_m: float = 100.0, code: str | None = None) -> int:
        from geofences import service

        with self.app.app_context():
            site = service.create_site({"type": "Feature", "geometry": geometry or SQUARE_CITY_HALL,
                                        "properties": {"code": code or self._next("S"), "name": "ที่ทำการทดสอบ",
                                                       "drift_tolerance_m": drift_tolerance_m,
                                                       "max_accuracy_m": max_accuracy_m}})
            db.session.commit()
            return site.id

    def unit(self, parent_id: int | None = None, site_ids: tuple[int, ...] = ()) -> int:
        from checkin.org import service

        with self.app.app_context():
            unit = service.create_unit({"code": self._next("U"), "name_th": "หน่วยงานทดสอบ",
                                        "parent_id": parent_id, "site_ids": list(site_ids)})
            db.session.commit()
            return unit.id

    def employee(self, unit_id: int, site_ids: tuple[int, ...] = ()) -> int:
        from checkin.org import service

        with self.app.app_context():
            employee = service.create_employee({
                "code": self._next("E"), "first_name_th": "ทดสอบ", "last_name_th": "ใจดี",
                "unit_id": unit_id, "site_ids": list(site_ids)})
            db.session.commit()
            return employee.id

    def user(self, role: str, employee_id: int | None = None, password: str = "punch-clock-42") -> dict:
        """A user with a bearer token: {'id', 'username', 'employee_id', 'headers'}."""
        from checkin.accounts import service
        from checkin.accounts.auth import issue_token

        with self.app.app_context():
            user = service.create_user(self._next(role), password, role, employee_id)
            db.session.commit()
            token, _ = issue_token(user)
            return {"id": user.id, "username": user.username, "employee_id": employee_id,
                    "headers": {"Authorization": f"Bearer {token}"}}

    def enrol(self, employee_id: int, photo: str = "obama/obama_1.jpg") -> int:
        """Enrol a face from the fixtures through the service; returns the enrollment id."""
        from checkin.biometrics import service
        from checkin.org.service import get_employee

        with self.app.app_context():
            enrollment = service.enroll_face(get_employee(employee_id), face_photo(photo), consent=True,
                                             recorded_by_id=None, source="cli")
            db.session.commit()
            return enrollment.id

    def sign(self, site_id: int, kind: str = "printed") -> int:
        from geofences import service, signs

        with self.app.app_context():
            sign = signs.create_sign(service.get_site(site_id), kind, None, None)
            db.session.commit()
            return sign.id

    def holiday(self, day: str = "2025-04-10", name_th: str = "วันหยุดพิเศษ", unit_id: int | None = None) -> int:
        from datetime import date

        from checkin.timekeeping.holidays import declare_holiday

        with self.app.app_context():
            holiday = declare_holiday(date.fromisoformat(day), name_th, unit_id)
            db.session.commit()
            return holiday.id

    def schedule(self, start: str = "07:30", end: str = "15:30") -> int:
        from datetime import time

        from checkin.timekeeping.service import create_schedule

        with self.app.app_context():
            schedule = create_schedule({"code": self._next("W"), "name_th": f"เข้า {start}",
                                        "start": time.fromisoformat(start), "end": time.fromisoformat(end),
                                        "lunch_start": time(12), "lunch_end": time(13)})
            db.session.commit()
            return schedule.id

    def employee_code(self, employee_id: int) -> str:
        from checkin.org.models import Employee

        with self.app.app_context():
            return db.session.get(Employee, employee_id).code

    def staff(self, role: str = "employee", unit_id: int | None = None, site_ids=()) -> dict:
        """An employee record with a linked user of the given role."""
        if unit_id is None:
            unit_id = self.unit(site_ids=(self.site(),))
        return self.user(role, self.employee(unit_id, site_ids))


@pytest.fixture
def make(app) -> Factory:
    return Factory(app)


def checkin_form(**overrides) -> dict:
    latitude, longitude = INSIDE_CITY_HALL
    form = {
        "kind": "in", "latitude": str(latitude), "longitude": str(longitude), "accuracy_m": "10",
        "captured_at": now_iso(), "client_event_id": str(uuid.uuid4()),
        "selfie": (io.BytesIO(jpeg_bytes()), "selfie.jpg", "image/jpeg"),
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


def post_checkin(client, user: dict, **overrides):
    return client.post("/api/v1/checkins", data=checkin_form(**overrides), headers=user["headers"],
                       content_type="multipart/form-data")


def assert_error(response, status: int, reason: str | None = None) -> dict:
    """The one error shape: {code, status, message, errors?, reason?}."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == status
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    if reason is not None:
        assert body.get("reason") == reason, body
    return body
