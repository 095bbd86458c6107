"""Talking to the API as a phone does: the check-in form, posting it, and the one error shape."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timezone

from checkin.timezones import BANGKOK
from tests.support.images import jpeg_bytes
from tests.support.places import INSIDE_CITY_HALL


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone(BANGKOK).isoformat(timespec="seconds")


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


def login(client, username: str, password: str, forwarded_for: str | None = None):
    """POST /auth/token; `forwarded_for` as a reverse proxy would set X-Forwarded-For."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/api/v1/auth/token", json={"username": username, "password": password}, headers=headers)


def upload_file(client, path: str, data: bytes, headers: dict, name: str = "file.csv"):
    """A file's bytes, as they are, to an import endpoint."""
    return client.post(path, data={"file": (io.BytesIO(data), name)}, headers=headers,
                       content_type="multipart/form-data")


def upload_csv(client, path: str, text: str, headers: dict):
    """A CSV file as an office exports it from Excel (UTF-8 with a BOM) to an import endpoint."""
    return client.post(path, data={"file": (io.BytesIO(text.encode("utf-8-sig")), "file.csv")}, headers=headers,
                       content_type="multipart/form-data")
