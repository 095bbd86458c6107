"""Admin setup over HTTP: org units, employees, users."""

from tests.support.api import assert_error


def test_admin_builds_a_unit_tree_with_thai_names(client, make):
    admin = make.user("admin")["headers"]
    site = make.site()
    root = client.post("/api/v1/units", json={"code": "BMA", "name_th": "กรุงเทพมหานคร"}, headers=admin)
    assert root.status_code == 201
    child = client.post("/api/v1/units", json={"code": "OCSC", "name_th": "สำนักงาน ก.ก.",
                                               "parent_id": root.get_json()["id"], "site_ids": [site]},
                        headers=admin)
    assert child.status_code == 201
    body = child.get_json()
    assert body["name_th"] == "สำนักงาน ก.ก."
    assert body["parent_id"] == root.get_json()["id"]
    assert body["site_ids"] == [site]
    assert "สำนักงาน ก.ก." in client.get("/api/v1/units", headers=admin).get_data(as_text=True)


def test_unit_code_must_be_unique_and_parent_must_exist(client, make):
    admin = make.user("admin")["headers"]
    assert client.post("/api/v1/units", json={"code": "A", "name_th": "ก"}, headers=admin).status_code == 201
    assert_error(client.post("/api/v1/units", json={"code": "A", "name_th": "ข"}, headers=admin), 409)
    assert_error(client.post("/api/v1/units", json={"code": "B", "name_th": "ข", "parent_id": 9999},
                             headers=admin), 404)
    assert_error(client.post("/api/v1/units", json={"code": "C", "name_th": "ค", "site_ids": [9999]},
                             headers=admin), 422)


def test_a_unit_cannot_become_its_own_ancestor(client, make):
    admin = make.user("admin")["headers"]
    parent = make.unit()
    child = make.unit(parent_id=parent)
    body = assert_error(client.patch(f"/api/v1/units/{parent}", json={"parent_id": child}, headers=admin), 422)
    assert "parent_id" in body["errors"]


def test_admin_creates_and_updates_an_employee(client, make):
    admin = make.user("admin")["headers"]
    unit, other_unit, site = make.unit(), make.unit(), make.site()
    created = client.post("/api/v1/employees", json={
        "code": "E100", "first_name_th": "สมศรี", "last_name_th": "มีสุข", "unit_id": unit,
        "position": "นักวิชาการ", "site_ids": [site]}, headers=admin)
    assert created.status_code == 201
    body = created.get_json()
    assert (body["first_name_th"], body["unit"]["id"], body["site_ids"], body["user"]) == ("สมศรี", unit, [site], None)

    updated = client.patch(f"/api/v1/employees/{body['id']}", json={"unit_id": other_unit, "site_ids": []},
                           headers=admin)
    assert updated.status_code == 200
    assert (updated.get_json()["unit"]["id"], updated.get_json()["site_ids"]) == (other_unit, [])
    assert_error(client.post("/api/v1/employees", json={
        "code": "E100", "first_name_th": "ก", "last_name_th": "ข", "unit_id": unit}, headers=admin), 409)
    assert_error(client.post("/api/v1/employees", json={"code": "E101"}, headers=admin), 422)


def test_employee_list_is_paginated_searchable_and_scoped(client, make):
    unit, other = make.unit(), make.unit()
    supervisor = make.staff("supervisor", unit)
    for _ in range(3):
        make.employee(unit)
    make.employee(other)
    admin = make.user("admin")["headers"]

    everyone = client.get("/api/v1/employees", headers=admin)
    assert len(everyone.get_json()) == 5
    assert '"total": 5' in everyone.headers["X-Pagination"]
    mine = client.get("/api/v1/employees", headers=supervisor["headers"]).get_json()
    assert len(mine) == 4 and all(item["unit"]["id"] == unit for item in mine)
    assert len(client.get("/api/v1/employees?q=ใจดี&page_size=2", headers=admin).get_json()) == 2
    assert len(client.get(f"/api/v1/employees?unit_id={other}", headers=admin).get_json()) == 1


def test_admin_links_a_user_to_an_employee(client, make):
    admin = make.user("admin")["headers"]
    employee = make.employee(make.unit())
    created = client.post("/api/v1/users", json={"username": "somsri", "password": "long-enough-1",
                                                 "role": "employee", "employee_id": employee}, headers=admin)
    assert created.status_code == 201
    assert created.get_json()["employee_id"] == employee
    assert "password" not in created.get_json()
    assert client.get(f"/api/v1/employees/{employee}", headers=admin).get_json()["user"]["username"] == "somsri"
    # One account per employee.
    assert_error(client.post("/api/v1/users", json={"username": "somsri2", "password": "long-enough-1",
                                                    "role": "employee", "employee_id": employee},
                             headers=admin), 409)
    assert_error(client.post("/api/v1/users", json={"username": "somsri", "password": "long-enough-1",
                                                    "role": "hr"}, headers=admin), 409)


def test_user_password_policy_and_role_are_checked(client, make):
    admin = make.user("admin")["headers"]
    assert_error(client.post("/api/v1/users", json={"username": "shorty", "password": "short",
                                                    "role": "hr"}, headers=admin), 422)
    assert_error(client.post("/api/v1/users", json={"username": "boss", "password": "long-enough-1",
                                                    "role": "king"}, headers=admin), 422)


def test_employee_sees_own_record_only(client, make):
    unit = make.unit()
    alice, bob = make.staff("employee", unit), make.staff("employee", unit)
    assert client.get(f"/api/v1/employees/{alice['employee_id']}", headers=alice["headers"]).status_code == 200
    assert_error(client.get(f"/api/v1/employees/{bob['employee_id']}", headers=alice["headers"]), 403)
    assert_error(client.get("/api/v1/employees", headers=alice["headers"]), 403, "ROLE_REQUIRED")
