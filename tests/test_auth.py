"""Logging in: tokens, hashed passwords, throttled failures."""

from sqlalchemy import select

from checkin.accounts.models import User
from checkin.database import db
from tests.conftest import assert_error


def login(client, username, password):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def test_login_returns_a_bearer_token_and_the_user(client, make):
    employee = make.staff()
    response = login(client, employee["username"], "password-123")
    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["user"] == {"id": employee["id"], "username": employee["username"], "role": "employee",
                            "employee_id": employee["employee_id"]}
    me = client.get(f"/api/v1/employees/{employee['employee_id']}",
                    headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200


def test_passwords_are_stored_hashed(make, app):
    user = make.user("hr", password="a-secret-password")
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.id == user["id"]))
    assert "a-secret-password" not in stored
    assert stored.startswith("pbkdf2:")


def test_wrong_password_and_unknown_user_get_the_same_401(client, make):
    user = make.user("hr")
    wrong = assert_error(login(client, user["username"], "wrong-password"), 401, "BAD_CREDENTIALS")
    unknown = assert_error(login(client, "nobody", "wrong-password"), 401, "BAD_CREDENTIALS")
    assert wrong == unknown


def test_disabled_account_cannot_log_in_or_use_its_token(client, make):
    admin = make.user("admin")
    hr = make.user("hr")
    response = client.patch(f"/api/v1/users/{hr['id']}", json={"active": False}, headers=admin["headers"])
    assert response.status_code == 200
    assert_error(login(client, hr["username"], "password-123"), 401)
    assert_error(client.get("/api/v1/units", headers=hr["headers"]), 401, "ACCOUNT_DISABLED")


def test_repeated_failed_logins_are_rate_limited(client, make):
    user = make.user("hr")
    for _ in range(5):
        assert login(client, user["username"], "wrong-password").status_code == 401
    body = assert_error(login(client, user["username"], "password-123"), 429)
    assert "limit" in body["message"].lower()
    assert int(login(client, user["username"], "password-123").headers["Retry-After"]) > 0


def test_successful_logins_are_not_throttled(client, make):
    user = make.user("hr")
    for _ in range(8):
        assert login(client, user["username"], "password-123").status_code == 200


def test_login_body_is_validated(client):
    assert_error(client.post("/api/v1/auth/token", json={"username": "x"}), 422)
    assert_error(client.post("/api/v1/auth/token", data="not json", content_type="text/plain"), 422)
