"""Confirming an absence through the API: only a working day of the employee's unit that has come,
within their service; anything else is a 422 with a reason code, and nothing is stored."""

from datetime import datetime, timedelta

from sqlalchemy import select

from checkin.database import db
from checkin.timekeeping.models import AbsenceConfirmation
from checkin.timezones import BANGKOK
from tests.support.api import assert_error


def confirm(client, headers, employee_id, day):
    return client.post("/api/v1/absences", json={"employee_id": employee_id, "day": day, "note": "ไม่มาโดยไม่แจ้ง"},
                       headers=headers)


def confirmed_days(app) -> list[str]:
    with app.app_context():
        return sorted(day.isoformat() for day in db.session.scalars(select(AbsenceConfirmation.day)))


def test_a_past_working_day_is_confirmed(client, make, app):
    admin = make.user("admin")["headers"]
    employee = make.employee(make.unit())
    response = confirm(client, admin, employee, "2025-06-10")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["day"] == "2025-06-10"
    assert confirmed_days(app) == ["2025-06-10"]


def test_weekends_and_national_holidays_are_not_working_days(client, make, app):
    admin = make.user("admin")["headers"]
    employee = make.employee(make.unit())
    assert_error(confirm(client, admin, employee, "2025-06-07"), 422, "ABSENCE_NOT_A_WORKING_DAY")
    body = assert_error(confirm(client, admin, employee, "2025-06-03"), 422, "ABSENCE_NOT_A_WORKING_DAY")
    assert "วันเฉลิมพระชนมพรรษา" in body["message"]  # the Queen's birthday, by name
    assert confirmed_days(app) == []


def test_a_holiday_declared_for_the_unit_or_an_ancestor_counts_but_not_one_for_another_unit(client, make, app):
    admin = make.user("admin")["headers"]
    parent = make.unit()
    child, sibling = make.unit(parent_id=parent), make.unit(parent_id=parent)
    employee = make.employee(child)
    make.holiday("2025-06-16", "วันหยุดของสำนัก", unit_id=parent)
    make.holiday("2025-06-17", "วันหยุดของกอง", unit_id=child)
    make.holiday("2025-06-18", "วันหยุดของกองอื่น", unit_id=sibling)
    make.holiday("2025-06-19", "วันหยุดราชการกรณีพิเศษ")  # every unit

    for day, name in (("2025-06-16", "วันหยุดของสำนัก"), ("2025-06-17", "วันหยุดของกอง"),
                      ("2025-06-19", "วันหยุดราชการกรณีพิเศษ")):
        body = assert_error(confirm(client, admin, employee, day), 422, "ABSENCE_NOT_A_WORKING_DAY")
        assert name in body["message"]
    assert confirm(client, admin, employee, "2025-06-18").status_code == 201
    assert confirmed_days(app) == ["2025-06-18"]


def test_a_day_after_today_in_bangkok_is_refused(client, make, app):
    admin = make.user("admin")["headers"]
    employee = make.employee(make.unit())
    tomorrow = (datetime.now(BANGKOK) + timedelta(days=1)).date().isoformat()
    body = assert_error(confirm(client, admin, employee, tomorrow), 422, "ABSENCE_IN_FUTURE")
    assert tomorrow in body["message"]
    assert_error(confirm(client, admin, employee, "2199-12-31"), 422, "ABSENCE_IN_FUTURE")
    assert confirmed_days(app) == []


def test_a_day_before_the_employee_was_hired_is_refused(client, make, app):
    admin = make.user("admin")["headers"]
    employee = make.employee(make.unit())
    assert client.patch(f"/api/v1/employees/{employee}", json={"hired_on": "2025-06-10"},
                        headers=admin).status_code == 200
    body = assert_error(confirm(client, admin, employee, "2025-06-09"), 422, "ABSENCE_BEFORE_HIRE")
    assert "2025-06-10" in body["message"]
    assert confirm(client, admin, employee, "2025-06-10").status_code == 201
    assert confirmed_days(app) == ["2025-06-10"]

