"""Input that used to reach the database driver: refused with 4xx, never a 500."""

import pytest

from tests.support.api import assert_error, post_checkin

HUGE = 99999999999999999999


@pytest.mark.parametrize("path", [f"/api/v1/sites/{HUGE}", f"/api/v1/checkins/{HUGE}",
                                  f"/api/v1/employees/{2**31}", "/api/v1/units/0"])
def test_out_of_range_id_in_the_path_is_404(client, make, path):
    assert_error(client.get(path, headers=make.user("admin")["headers"]), 404)


@pytest.mark.parametrize("body", [
    {"code": "X", "name_th": "ก", "parent_id": HUGE},
    {"code": "X", "name_th": "ก", "site_ids": [HUGE]},
    {"code": "X", "name_th": "ก", "parent_id": -1},
])
def test_out_of_range_id_in_a_body_is_422(client, make, body):
    assert_error(client.post("/api/v1/units", json=body, headers=make.user("admin")["headers"]), 422)


def test_out_of_range_id_in_a_query_is_422(client, make):
    assert_error(client.get(f"/api/v1/checkins?employee_id={HUGE}", headers=make.user("admin")["headers"]), 422)


@pytest.mark.parametrize("request_kwargs", [
    {"method": "POST", "path": "/api/v1/units", "json": {"code": "X", "name_th": "ก\x00ข"}},
    {"method": "GET", "path": "/api/v1/employees?q=%00"},
    {"method": "POST", "path": "/api/v1/auth/token", "json": {"username": "a\x00", "password": "x"}},
])
def test_nul_characters_are_refused(client, make, request_kwargs):
    kwargs = dict(request_kwargs)
    response = client.open(kwargs.pop("path"), method=kwargs.pop("method"),
                           headers=make.user("admin")["headers"], **kwargs)
    assert_error(response, 422)


def test_nul_in_a_checkin_field_is_refused(client, make):
    assert_error(post_checkin(client, make.staff(), device_id="pixel\x00"), 422)


def test_thai_text_round_trips_as_utf8(client, make):
    admin = make.user("admin")["headers"]
    name = "สำนักงานเขตบางรัก ฝ่ายทะเบียน 😀"
    response = client.post("/api/v1/units", json={"code": "BR", "name_th": name}, headers=admin)
    assert name.encode("utf-8") in response.data  # raw UTF-8, not \\u escapes
    assert client.get(f"/api/v1/units/{response.get_json()['id']}", headers=admin).get_json()["name_th"] == name


def test_unexpected_error_is_a_500_with_a_request_id_and_no_internals(client, make, monkeypatch):
    from checkin.org import service

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(service, "list_units", broken)
    response = client.get("/api/v1/units", headers={**make.user("admin")["headers"], "X-Request-ID": "req-42"})
    body = assert_error(response, 500)
    assert "req-42" in body["message"]
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
