"""Bad input to POST /checkins: each gets the right 4xx in the one error shape, nothing stored."""

import io
import uuid

import pytest
from PIL import Image

from tests.support.api import assert_error, post_checkin
from tests.support.images import jpeg_bytes


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")  # 1-bit and blank: tiny on disk
    return buffer.getvalue()


@pytest.mark.parametrize("field, value", [
    ("latitude", "91"),
    ("longitude", "-181"),
    ("latitude", "north"),
    ("accuracy_m", "-1"),
    ("accuracy_m", "nan"),
    ("captured_at", "2026-11-23T08:20:00"),  # no offset
    ("captured_at", "yesterday"),
    ("kind", "lunch"),
    ("client_event_id", "not-a-uuid"),
    ("accuracy_confidence", "50"),
])
def test_invalid_field_is_422_naming_the_field(client, make, field, value):
    body = assert_error(post_checkin(client, make.staff(), **{field: value}), 422)
    assert field in body["errors"]["multipart"]


def test_latitude_without_longitude_is_422(client, make):
    body = assert_error(post_checkin(client, make.staff(), longitude=None), 422)
    assert "latitude" in body["errors"]["multipart"]


def test_position_without_accuracy_is_422(client, make):
    body = assert_error(post_checkin(client, make.staff(), accuracy_m=None), 422)
    assert "accuracy_m" in body["errors"]["multipart"]


def test_unknown_field_is_422(client, make):
    body = assert_error(post_checkin(client, make.staff(), altitude="12"), 422)
    assert "altitude" in body["errors"]["multipart"]


def test_missing_selfie_is_422(client, make):
    body = assert_error(post_checkin(client, make.staff(), selfie=None), 422)
    assert "selfie" in body["errors"]["multipart"]


def test_selfie_sent_as_text_field_is_422(client, make):
    assert_error(post_checkin(client, make.staff(), selfie="not a file"), 422)


@pytest.mark.parametrize("data, status, reason", [
    (b"", 422, "IMAGE_EMPTY"),
    (b"hello, I am a text file\n" * 10, 415, "IMAGE_FORMAT"),
    (b"GIF89a" + b"\x00" * 100, 415, "IMAGE_FORMAT"),
    (jpeg_bytes()[:3000], 422, "IMAGE_CORRUPT"),  # truncated JPEG
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 422, "IMAGE_CORRUPT"),
    (png_bytes(20000, 20000), 413, "IMAGE_TOO_MANY_PIXELS"),
])
def test_hostile_or_broken_selfie_is_refused_and_nothing_is_stored(client, make, app, data, status, reason):
    employee = make.staff()
    response = post_checkin(client, employee, selfie=(io.BytesIO(data), "selfie.jpg", "image/jpeg"))
    body = assert_error(response, status, reason)
    assert "selfie" in body["errors"]
    assert client.get("/api/v1/checkins", headers=employee["headers"]).get_json() == []


def test_selfie_over_10_mb_is_413(client, make, app):
    big = jpeg_bytes() + b"\x00" * (app.config["MAX_SELFIE_BYTES"])
    response = post_checkin(client, make.staff(), selfie=(io.BytesIO(big), "big.jpg"))
    assert_error(response, 413)


def test_json_body_instead_of_multipart_is_422(client, make):
    employee = make.staff()
    response = client.post("/api/v1/checkins", json={"kind": "in"}, headers=employee["headers"])
    assert_error(response, 422)


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer not.a.token"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
])
def test_missing_or_bad_token_is_401(client, headers):
    assert_error(post_checkin(client, {"headers": headers}), 401)


def test_expired_token_is_401(client, make, app):
    from datetime import timedelta

    from flask_jwt_extended import create_access_token

    employee = make.staff()
    with app.app_context():
        token = create_access_token(identity=str(employee["id"]), expires_delta=timedelta(seconds=-10))
    response = post_checkin(client, {"headers": {"Authorization": f"Bearer {token}"}})
    assert_error(response, 401, "TOKEN_INVALID")


def test_token_signed_with_another_key_is_401(client, make):
    import jwt

    employee = make.staff()
    forged = jwt.encode({"sub": str(employee["id"]), "type": "access", "role": "admin"}, "another-signing-key-of-32-bytes-or-more", "HS256")
    assert_error(post_checkin(client, {"headers": {"Authorization": f"Bearer {forged}"}}), 401)


def test_heic_selfie_is_accepted(client, make):
    import pillow_heif

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 20, 30)).save(buffer, "HEIF")
    response = post_checkin(client, make.staff(), selfie=(io.BytesIO(buffer.getvalue()), "IMG_0001.HEIC"))
    assert response.status_code == 201, response.get_json()


def test_png_selfie_is_accepted(client, make):
    buffer = io.BytesIO()
    Image.new("RGBA", (320, 240)).save(buffer, "PNG")
    response = post_checkin(client, make.staff(), selfie=(io.BytesIO(buffer.getvalue()), "x.png"))
    assert response.status_code == 201


def test_a_fresh_uuid_is_needed_per_event_not_per_employee(client, make):
    site = make.site()
    unit = make.unit(site_ids=(site,))
    alice, bob = make.staff("employee", unit), make.staff("employee", unit)
    shared = str(uuid.uuid4())
    assert post_checkin(client, alice, client_event_id=shared).status_code == 201
    assert_error(post_checkin(client, bob, client_event_id=shared), 409, "CLIENT_EVENT_ID_CONFLICT")
