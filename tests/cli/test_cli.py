"""Operator commands through `flask --app wsgi ...` (Click's runner on the same app)."""

import json

from sqlalchemy import func, select

from checkin.accounts.models import User
from checkin.database import db
from geofences.models import Site
from tests.support.api import post_checkin
from tests.support.places import SQUARE_CITY_HALL


def test_init_db_is_idempotent(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "latest schema" in result.output


def test_create_user_links_an_employee_and_refuses_bad_input(runner, make, app, client):
    employee = make.employee(make.unit())
    with app.app_context():
        from checkin.org.models import Employee
        code = db.session.get(Employee, employee).code
    ok = runner.invoke(args=["create-user", "--username", "somchai", "--password", "long-enough-1",
                             "--role", "employee", "--employee-code", code])
    assert ok.exit_code == 0, ok.output
    token = client.post("/api/v1/auth/token", json={"username": "somchai", "password": "long-enough-1"})
    assert token.get_json()["user"]["employee_id"] == employee

    assert runner.invoke(args=["create-user", "--username", "x1", "--password", "long-enough-1",
                               "--role", "employee", "--employee-code", "NOPE"]).exit_code != 0
    assert runner.invoke(args=["create-user", "--username", "x2", "--password", "short",
                               "--role", "hr"]).exit_code != 0
    assert runner.invoke(args=["create-user", "--username", "x3", "--password", "long-enough-1",
                               "--role", "king"]).exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_load_demo_twice_gives_one_user_per_role_and_working_logins(runner, app, client):
    first = runner.invoke(args=["load-demo"])
    second = runner.invoke(args=["load-demo"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "already present" in second.output
    assert "poster.pdf" in first.output and "/display?token=" in first.output
    with app.app_context():
        roles = sorted(db.session.scalars(select(User.role)))
    assert roles == ["admin", "employee", "hr", "supervisor"]

    login = client.post("/api/v1/auth/token", json={"username": "employee", "password": "clock-in-2569"})
    headers = {"Authorization": f"Bearer {login.get_json()['access_token']}"}
    # The demo employee works at City Hall (Sao Chingcha) through their parent unit.
    body = post_checkin(client, {"headers": headers}, latitude="13.7532", longitude="100.5008").get_json()
    assert body["status"] == "accepted", body
    assert body["site"]["code"] == "BMA-CH1"


def write_collection(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")


def site_feature(code, name="สำนักงานเขต", geometry=SQUARE_CITY_HALL):
    return {"type": "Feature", "geometry": geometry, "properties": {"code": code, "name": name}}


def test_import_sites_creates_then_updates_by_code(runner, app, tmp_path):
    path = tmp_path / "sites.geojson"
    write_collection(path, [site_feature("A"), site_feature("B")])
    first = runner.invoke(args=["import-sites", str(path)])
    assert first.exit_code == 0, first.output
    assert "2 created, 0 updated" in first.output

    write_collection(path, [site_feature("A", name="ศาลาว่าการ"), site_feature("C")])
    second = runner.invoke(args=["import-sites", str(path)])
    assert "1 created, 1 updated" in second.output
    with app.app_context():
        sites = {site.code: site for site in db.session.scalars(select(Site))}
    assert sorted(sites) == ["A", "B", "C"]
    assert sites["A"].name == "ศาลาว่าการ"
    assert sites["A"].drift_tolerance_m == 50.0


def test_import_sites_is_all_or_nothing(runner, app, tmp_path):
    path = tmp_path / "sites.geojson"
    unclosed = {"type": "Polygon", "coordinates": [[[100.5, 13.75], [100.51, 13.75], [100.51, 13.76]]]}
    write_collection(path, [site_feature("GOOD"), site_feature("BAD", geometry=unclosed)])
    result = runner.invoke(args=["import-sites", str(path)])
    assert result.exit_code != 0
    assert "not closed" in result.output and "nothing was imported" in result.output
    write_collection(path, [site_feature("DUP"), site_feature("DUP")])
    assert "more than once" in runner.invoke(args=["import-sites", str(path)]).output
    path.write_text("{not json", encoding="utf-8")
    assert "not valid JSON" in runner.invoke(args=["import-sites", str(path)]).output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Site)) == 0
