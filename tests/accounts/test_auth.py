"""Logging in: short-lived tokens, refresh, logout and revocation, hashed passwords, lockout
with back-off, the password policy."""

import pytest
from sqlalchemy import select

from checkin.accounts.models import User
from checkin.database import db
from tests.support.api import assert_error, login


def test_login_returns_a_bearer_token_and_the_user(client, make):
    employee = make.staff()
    response = login(client, employee["username"], "punch-clock-42")
    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 15 * 60 and body["refresh_expires_in"] == 7 * 24 * 3600
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
    assert_error(login(client, hr["username"], "punch-clock-42"), 401)
    assert_error(client.get("/api/v1/units", headers=hr["headers"]), 401, "ACCOUNT_DISABLED")


def test_repeated_failures_lock_the_user_name_with_a_doubling_lock(client, make, app):
    user = make.user("hr")
    for _ in range(4):
        assert_error(login(client, user["username"], "wrong-password"), 401, "BAD_CREDENTIALS")
    assert_error(login(client, user["username"], "wrong-password"), 401)  # the 5th: now locked
    locked = login(client, user["username"], "punch-clock-42")  # even the right password waits
    assert_error(locked, 429, "LOGIN_LOCKED")
    assert 55 <= int(locked.headers["Retry-After"]) <= 60
    assert login(client, "someone-else", "wrong-password").status_code == 401  # only that name

    with app.app_context():  # the lock ran out; one more failure doubles it
        from checkin.accounts.models import LoginFailures
        row = db.session.get(LoginFailures, f"user:{user['username']}")
        row.locked_until = None
        db.session.commit()
    assert_error(login(client, user["username"], "wrong-password"), 401)
    assert 115 <= int(login(client, user["username"], "punch-clock-42").headers["Retry-After"]) <= 120


def test_an_address_is_locked_after_more_failures_than_a_user_name(client, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 6)
    for number in range(6):  # six different names from one address
        assert login(client, f"guess{number}", "wrong-password").status_code == 401
    user = make.user("hr")
    assert_error(login(client, user["username"], "punch-clock-42"), 429, "LOGIN_LOCKED")
    other = client.post("/api/v1/auth/token", json={"username": user["username"], "password": "punch-clock-42"},
                        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_a_success_forgets_the_failures_of_the_user_name(client, make):
    user = make.user("hr")
    for _ in range(4):
        login(client, user["username"], "wrong-password")
    assert login(client, user["username"], "punch-clock-42").status_code == 200
    for _ in range(4):
        assert login(client, user["username"], "wrong-password").status_code == 401
    assert login(client, user["username"], "punch-clock-42").status_code == 200


def test_refresh_token_gets_new_tokens_and_is_no_access_token(client, make):
    user = make.staff()
    body = login(client, user["username"], "punch-clock-42").get_json()
    refresh = {"Authorization": f"Bearer {body['refresh_token']}"}
    assert_error(client.get(f"/api/v1/employees/{user['employee_id']}", headers=refresh), 401, "TOKEN_INVALID")
    renewed = client.post("/api/v1/auth/refresh", headers=refresh)
    assert renewed.status_code == 200
    access = {"Authorization": f"Bearer {renewed.get_json()['access_token']}"}
    assert client.get(f"/api/v1/employees/{user['employee_id']}", headers=access).status_code == 200
    # the session slides: the new refresh token (a fresh 7 days) works in its turn
    again = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {renewed.get_json()['refresh_token']}"})
    assert again.status_code == 200 and renewed.get_json()["refresh_expires_in"] == body["refresh_expires_in"]
    access_as_refresh = {"Authorization": f"Bearer {body['access_token']}"}
    assert_error(client.post("/api/v1/auth/refresh", headers=access_as_refresh), 401, "TOKEN_INVALID")


def test_expired_access_token_is_refused(client, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "ACCESS_TOKEN_MINUTES", -1)
    user = make.staff()
    token = login(client, user["username"], "punch-clock-42").get_json()["access_token"]
    response = client.get(f"/api/v1/employees/{user['employee_id']}", headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, "TOKEN_INVALID")
    assert "expired" in response.get_json()["message"]


def test_logout_revokes_every_token_of_the_account(client, make):
    user = make.staff()
    phone = login(client, user["username"], "punch-clock-42").get_json()
    laptop = login(client, user["username"], "punch-clock-42").get_json()
    assert client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {phone['access_token']}"}
                       ).status_code == 204
    for token in (phone["access_token"], laptop["access_token"]):
        assert_error(client.get(f"/api/v1/employees/{user['employee_id']}",
                                headers={"Authorization": f"Bearer {token}"}), 401, "TOKEN_REVOKED")
    assert_error(client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {laptop['refresh_token']}"}),
                 401, "TOKEN_REVOKED")
    again = login(client, user["username"], "punch-clock-42").get_json()  # a new login works at once
    assert client.get(f"/api/v1/employees/{user['employee_id']}",
                      headers={"Authorization": f"Bearer {again['access_token']}"}).status_code == 200


def test_a_new_password_or_role_revokes_the_old_tokens(client, make):
    admin = make.user("admin")["headers"]
    hr = make.user("hr")
    assert client.patch(f"/api/v1/users/{hr['id']}", json={"password": "a-new-long-secret"},
                        headers=admin).status_code == 200
    assert_error(client.get("/api/v1/units", headers=hr["headers"]), 401, "TOKEN_REVOKED")
    supervisor = make.user("supervisor")
    assert client.patch(f"/api/v1/users/{supervisor['id']}", json={"role": "employee"},
                        headers=admin).status_code == 200
    assert_error(client.get("/api/v1/units", headers=supervisor["headers"]), 401, "TOKEN_REVOKED")


@pytest.mark.parametrize("password, problem", [
    ("short-1", "at least 10 characters"),
    ("aaaaaaaaaaaa", "different characters"),
    ("12345678901234", "only digits"),
    ("Password123!", "most common"),
    ("qwertyuiop", "most common"),
    ("xx-newclerk-xx", "user name"),
])
def test_admin_created_passwords_follow_the_policy(client, make, password, problem):
    admin = make.user("admin")["headers"]
    response = client.post("/api/v1/users", json={"username": "newclerk", "password": password, "role": "hr"},
                           headers=admin)
    body = assert_error(response, 422, "WEAK_PASSWORD")
    assert problem in body["errors"]["password"][0]
    assert password not in response.get_data(as_text=True)  # the refused password is never echoed
    assert client.post("/api/v1/users", json={"username": "newclerk", "password": "blue-ledger-castle",
                                              "role": "hr"}, headers=admin).status_code == 201


def test_successful_logins_are_not_throttled(client, make):
    user = make.user("hr")
    for _ in range(8):
        assert login(client, user["username"], "punch-clock-42").status_code == 200


def test_login_body_is_validated(client):
    assert_error(client.post("/api/v1/auth/token", json={"username": "x"}), 422)
    assert_error(client.post("/api/v1/auth/token", data="not json", content_type="text/plain"), 422)
