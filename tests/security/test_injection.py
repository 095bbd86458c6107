"""Injection: SQL, HTML/JS, spreadsheet formulas and Thai text in every free-text field the API
takes. Each is stored and returned verbatim (JSON is inert: the same string comes back), the
database is intact afterwards, the CSV and XLSX exports never hand a spreadsheet a formula, and
the web pages never insert API text as HTML."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from markupsafe import escape
from openpyxl import load_workbook
from sqlalchemy import func, inspect, select

from checkin.database import Base, db
from tests.support.api import assert_error, post_checkin
from tests.support.places import SQUARE_CITY_HALL

PAYLOADS = [
    "'; DROP TABLE users; --",
    "1 OR 1=1",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "=cmd|' /C calc'!A0",
    "+SUM(1,1)",
    "-2+3",
    "@SUM(A1)",
    "สมศักดิ์ ณ อยุธยา",
    "ผู้ใหญ่ลี ตีกลอง ๑๒๓ ฿ \"ฯลฯ\"",
]
IDS = ["sql-drop", "sql-or", "script", "img-onerror", "dde", "plus", "minus", "at", "thai", "thai-quotes"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = [payload for payload in PAYLOADS if payload.startswith(FORMULA_START)]
STATIC = Path(__file__).resolve().parents[2] / "checkin" / "web" / "static"



def inert(response, status: int = 200) -> dict | list:
    """A JSON answer (never HTML, never sniffed) with the expected status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    return response.get_json()


def stored(app, column, row_id):
    with app.app_context():
        entity = column.class_
        return db.session.scalar(select(column).where(entity.id == row_id))


def assert_database_intact(app, **expected_counts):
    """Every table the models define is still there, with the expected number of rows."""
    from checkin.accounts.models import User
    from checkin.org.models import Employee, OrgUnit

    models = {"users": User, "employees": Employee, "units": OrgUnit}
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {table.name for table in Base.metadata.sorted_tables} <= tables
        for name, count in expected_counts.items():
            assert db.session.scalar(select(func.count()).select_from(models[name])) == count, name


@pytest.fixture
def admin(make):
    return make.user("admin")


# --- organisation -------------------------------------------------------------------------------

def test_unit_and_employee_text_is_stored_and_returned_verbatim(client, app, admin):
    from checkin.org.models import Employee, OrgUnit

    headers = admin["headers"]
    for number, payload in enumerate(PAYLOADS):
        unit = inert(client.post("/api/v1/units", json={"code": f"INJ{number}", "name_th": payload}, headers=headers),
                     201)
        assert unit["name_th"] == payload
        assert inert(client.get(f"/api/v1/units/{unit['id']}", headers=headers))["name_th"] == payload
        assert stored(app, OrgUnit.name_th, unit["id"]) == payload

        employee = inert(client.post("/api/v1/employees", json={
            "code": f"EINJ{number}", "first_name_th": payload, "last_name_th": payload, "position": payload,
            "unit_id": unit["id"]}, headers=headers), 201)
        assert (employee["first_name_th"], employee["last_name_th"], employee["position"]) == (payload,) * 3
        assert employee["unit"]["name_th"] == payload
        fetched = inert(client.get(f"/api/v1/employees/{employee['id']}", headers=headers))
        assert (fetched["first_name_th"], fetched["last_name_th"], fetched["position"]) == (payload,) * 3
        assert stored(app, Employee.first_name_th, employee["id"]) == payload

        # PATCH: another payload over this one
        other = PAYLOADS[-1 - number]
        patched = inert(client.patch(f"/api/v1/units/{unit['id']}", json={"name_th": other}, headers=headers))
        assert patched["name_th"] == other and stored(app, OrgUnit.name_th, unit["id"]) == other
        patched = inert(client.patch(f"/api/v1/employees/{employee['id']}", json={
            "first_name_th": other, "last_name_th": other, "position": other}, headers=headers))
        assert (patched["first_name_th"], patched["last_name_th"], patched["position"]) == (other,) * 3
        assert stored(app, Employee.last_name_th, employee["id"]) == other

    listed = inert(client.get("/api/v1/units", headers=headers))
    assert sorted(unit["name_th"] for unit in listed) == sorted(PAYLOADS)
    assert_database_intact(app, users=1, units=len(PAYLOADS), employees=len(PAYLOADS))


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_employee_search_treats_the_text_as_text(client, app, admin, make, payload):
    unit = make.unit()
    target = inert(client.post("/api/v1/employees", json={
        "code": "FINDME", "first_name_th": f"ก{payload}ข", "last_name_th": "ทดสอบ", "unit_id": unit},
        headers=admin["headers"]), 201)
    make.employee(unit)  # a bystander the text must not match
    found = inert(client.get("/api/v1/employees", query_string={"q": payload}, headers=admin["headers"]))
    assert [employee["id"] for employee in found] == [target["id"]]
    assert_database_intact(app, users=1, employees=2)


@pytest.mark.parametrize("wildcard", ["%", "_", "\\"])
def test_employee_search_wildcards_are_literal(client, admin, make, wildcard):
    unit = make.unit()
    target = inert(client.post("/api/v1/employees", json={
        "code": "WILD", "first_name_th": f"ก{wildcard}ข", "last_name_th": "ทดสอบ", "unit_id": unit},
        headers=admin["headers"]), 201)
    make.employee(unit)  # "%" or "_" as a LIKE wildcard would match this one too
    found = inert(client.get("/api/v1/employees", query_string={"q": wildcard}, headers=admin["headers"]))
    assert [employee["id"] for employee in found] == [target["id"]]


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_codes_and_user_names_refuse_what_their_pattern_does_not_allow(client, app, admin, make, payload):
    headers = admin["headers"]
    unit = make.unit()
    answers = {
        "unit.code": client.post("/api/v1/units", json={"code": payload, "name_th": "ก"}, headers=headers),
        "employee.code": client.post("/api/v1/employees", json={
            "code": payload, "first_name_th": "ก", "last_name_th": "ข", "unit_id": unit}, headers=headers),
        "site.code": client.post("/api/v1/sites", json={"type": "Feature", "geometry": SQUARE_CITY_HALL,
                                                        "properties": {"code": payload, "name": "ก"}},
                                 headers=headers),
        "user.username": client.post("/api/v1/users", json={
            "username": payload, "password": "Long-enough-Passw0rd", "role": "employee"}, headers=headers),
    }
    for field, response in answers.items():
        body = assert_error(response, 422)
        assert body["errors"], field
        assert inert(response, 422)
    assert_database_intact(app, users=1, units=1, employees=0)


@pytest.mark.parametrize("username", ["@SUM.A1", "-2-3", "admin--", "a.b@c"])
def test_user_names_the_pattern_allows_are_stored_verbatim(client, app, admin, username):
    from checkin.accounts.models import User

    created = inert(client.post("/api/v1/users", json={"username": username, "password": "Long-enough-Passw0rd",
                                                       "role": "hr"}, headers=admin["headers"]), 201)
    assert created["username"] == username and stored(app, User.username, created["id"]) == username
    token = inert(client.post("/api/v1/auth/token", json={"username": username, "password": "Long-enough-Passw0rd"}))
    assert token["user"]["username"] == username


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_login_with_injected_credentials(client, app, make, payload):
    make.user("admin")
    response = client.post("/api/v1/auth/token", json={"username": payload, "password": payload})
    assert_error(response, 401, "BAD_CREDENTIALS")
    # A password may be any text: it is compared, never interpreted.
    password = f"{payload} and-long-enough-9"
    user = make.user("hr", password=password)
    token = inert(client.post("/api/v1/auth/token", json={"username": user["username"], "password": password}))
    assert token["access_token"]
    assert_error(client.post("/api/v1/auth/token", json={"username": user["username"], "password": "1 OR 1=1"}),
                 401)
    assert_database_intact(app, users=2)


# --- sites and signs ----------------------------------------------------------------------------

def test_site_names_and_sign_labels_are_stored_and_returned_verbatim(client, app, admin):
    from geofences.models import Sign, Site

    headers = admin["headers"]
    for number, payload in enumerate(PAYLOADS):
        feature = {"type": "Feature", "geometry": SQUARE_CITY_HALL, "properties": {"code": f"SINJ{number}", "name": payload}}
        site = inert(client.post("/api/v1/sites", json=feature, headers=headers), 201)
        assert site["properties"]["name"] == payload
        assert inert(client.get(f"/api/v1/sites/{site['id']}", headers=headers))["properties"]["name"] == payload
        assert stored(app, Site.name, site["id"]) == payload
        other = PAYLOADS[-1 - number]
        feature["properties"]["name"] = other
        replaced = inert(client.put(f"/api/v1/sites/{site['id']}", json=feature, headers=headers))
        assert replaced["properties"]["name"] == other and stored(app, Site.name, site["id"]) == other

        sign = inert(client.post(f"/api/v1/sites/{site['id']}/signs", json={"kind": "printed", "label": payload},
                                 headers=headers), 201)
        assert sign["label"] == payload and stored(app, Sign.label, sign["id"]) == payload
        listed = inert(client.get(f"/api/v1/sites/{site['id']}/signs", headers=headers))
        assert [item["label"] for item in listed] == [payload]
        poster = client.get(sign["poster_png_url"], headers=headers)  # the name is drawn, not interpreted
        assert poster.status_code == 200 and poster.mimetype == "image/png"

    names = [feature["properties"]["name"] for feature in
             inert(client.get("/api/v1/sites", headers=headers))["features"]]
    assert sorted(names) == sorted(PAYLOADS)
    assert_database_intact(app, users=1)


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_the_sign_display_page_escapes_the_site_name(client, admin, payload):
    headers = admin["headers"]
    feature = {"type": "Feature", "geometry": SQUARE_CITY_HALL, "properties": {"code": "DISPLAY", "name": payload}}
    site = inert(client.post("/api/v1/sites", json=feature, headers=headers), 201)
    sign = inert(client.post(f"/api/v1/sites/{site['id']}/signs", json={"kind": "display"}, headers=headers), 201)
    page = client.get(sign["display_url"])
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert str(escape(payload)) in html  # shown as text, in the title and the heading


# --- timekeeping --------------------------------------------------------------------------------

def test_timekeeping_text_is_stored_and_returned_verbatim(client, app, admin, make):
    from checkin.timekeeping.calendar import calendar_days
    from checkin.timekeeping.models import (AbsenceConfirmation, Exemption, Holiday, ScheduleOverride,
                                            WorkSchedule)

    headers = admin["headers"]
    unit = make.unit()
    employee = make.employee(unit)
    first = date(2025, 4, 1)
    # An absence is confirmed only on a working day that has passed.
    absence_days = [day["date"] for day in calendar_days(date(2025, 6, 9), date(2025, 6, 30), {}) if day["working_day"]]
    for number, payload in enumerate(PAYLOADS):
        day = (first + timedelta(days=number)).isoformat()
        holiday = inert(client.post("/api/v1/holidays", json={"day": day, "name_th": payload}, headers=headers), 201)
        assert holiday["name_th"] == payload and stored(app, Holiday.name_th, holiday["id"]) == payload
        calendar = inert(client.get("/api/v1/calendar", query_string={"from": day, "to": day}, headers=headers))
        assert calendar[0]["holiday_name"] == payload

        schedule = inert(client.post("/api/v1/schedules", json={
            "code": payload, "name_th": payload, "start": "08:30:00", "end": "16:30:00"}, headers=headers), 201)
        assert (schedule["code"], schedule["name_th"]) == (payload, payload)
        assert stored(app, WorkSchedule.code, schedule["id"]) == payload

        override = inert(client.post("/api/v1/schedules/overrides", json={
            "day": day, "start": "10:00:00", "note": payload}, headers=headers), 201)
        assert override["note"] == payload and stored(app, ScheduleOverride.note, override["id"]) == payload

        exemption = inert(client.post("/api/v1/exemptions", json={
            "employee_id": employee, "start_date": day, "end_date": day, "note": payload}, headers=headers), 201)
        assert exemption["note"] == payload and stored(app, Exemption.note, exemption["id"]) == payload

        absence = inert(client.post("/api/v1/absences", json={
            "employee_id": employee, "day": absence_days[number].isoformat(), "note": payload},
            headers=headers), 201)
        assert absence["note"] == payload and stored(app, AbsenceConfirmation.note, absence["id"]) == payload

    assert sorted(item["name_th"] for item in inert(client.get("/api/v1/holidays", headers=headers))) \
        == sorted(PAYLOADS)
    schedules = inert(client.get("/api/v1/schedules", headers=headers))
    assert sorted((item["code"], item["name_th"]) for item in schedules) == sorted((p, p) for p in PAYLOADS)
    assert_database_intact(app, users=1, units=1, employees=1)


# --- check-ins, reviews, imports ----------------------------------------------------------------

def test_device_ids_and_review_notes_are_stored_and_returned_verbatim(client, app, make):
    from checkin.checkins.models import CheckIn

    site = make.site()
    unit = make.unit(site_ids=(site,))
    supervisor = make.staff("supervisor", unit)
    employee = make.staff("employee", unit)
    for payload in PAYLOADS:
        checkin = inert(post_checkin(client, employee, device_id=payload, mock_location="true"), 201)
        assert checkin["device_id"] == payload and checkin["status"] == "flagged"
        decided = client.post(f"/api/v1/reviews/{checkin['id']}", json={"decision": "reject", "note": payload},
                              headers=supervisor["headers"])
        assert decided.status_code in (200, 201), decided.get_data(as_text=True)
        fetched = inert(client.get(f"/api/v1/checkins/{checkin['id']}", headers=supervisor["headers"]))
        assert (fetched["device_id"], fetched["review"]["note"]) == (payload, payload)
        assert stored(app, CheckIn.device_id, checkin["id"]) == payload
    assert_database_intact(app, users=2, units=1, employees=2)


def test_imported_punches_keep_their_device_id_verbatim(client, app, admin, make):
    from checkin.checkins.models import CheckIn

    employee = make.employee(make.unit())
    code = make.employee_code(employee)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["employee_code", "timestamp", "kind", "device_id"])
    for number, payload in enumerate(PAYLOADS):
        writer.writerow([code, f"2025-04-{number + 1:02d}T08:20:00+07:00", "in", payload])
    response = client.post("/api/v1/punches/import", headers=admin["headers"], content_type="multipart/form-data",
                           data={"file": (io.BytesIO(buffer.getvalue().encode("utf-8")), "punches.csv")})
    assert inert(response)["created"] == len(PAYLOADS)
    with app.app_context():
        devices = db.session.scalars(select(CheckIn.device_id).where(CheckIn.employee_id == employee)).all()
    assert sorted(devices) == sorted(PAYLOADS)
    listed = inert(client.get("/api/v1/checkins", query_string={"employee_id": employee, "page_size": 50},
                              headers=admin["headers"]))
    assert sorted(item["device_id"] for item in listed) == sorted(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_csv_imports_refuse_unknown_codes_as_data(client, app, admin, payload):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["employee_code", "leave_type", "start_date", "end_date", "half_day"])
    csv.writer(buffer).writerow([payload, "sick", "2025-04-01", "2025-04-01", ""])
    response = client.post("/api/v1/leaves/import", headers=admin["headers"], content_type="multipart/form-data",
                           data={"file": (io.BytesIO(buffer.getvalue().encode("utf-8")), "leaves.csv")})
    assert 400 <= response.status_code < 500 and response.mimetype == "application/json"
    assert_database_intact(app, users=1)


# --- exports ------------------------------------------------------------------------------------

@pytest.fixture
def payload_people(client, app, admin):
    """One unit per payload, named by it, with one employee whose names are the payload."""
    headers = admin["headers"]
    for number, payload in enumerate(PAYLOADS):
        unit = inert(client.post("/api/v1/units", json={"code": f"X{number}", "name_th": payload}, headers=headers),
                     201)
        inert(client.post("/api/v1/employees", json={"code": f"XE{number}", "first_name_th": payload,
                                                      "last_name_th": payload, "unit_id": unit["id"]},
                          headers=headers), 201)
    return headers


def csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def assert_no_formula_in_csv(rows: list[list[str]]):
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
    cells = {cell for row in rows for cell in row}
    for payload in FORMULAS:  # neutralised by a leading apostrophe, otherwise unchanged
        assert "'" + f"{payload} {payload}" in cells
    for payload in PAYLOADS:
        if payload not in FORMULAS:
            assert f"{payload} {payload}" in cells


def xlsx_cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet, cell


def assert_no_formula_in_xlsx(data: bytes):
    """No formula cell; text that looks like one is either prefixed with ' or kept exactly as typed
    in a text cell with Excel's quote prefix (what Excel itself stores for '=...), which no
    spreadsheet evaluates. The values come back with a ' in front either way."""
    values = set()
    for sheet, cell in xlsx_cells(data):
        assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            quoted = cell.value.startswith(FORMULA_START)
            if quoted:
                assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
            values.add("'" + cell.value if quoted else cell.value)
    for payload in FORMULAS:
        assert "'" + f"{payload} {payload}" in values
    return values


def exported_files_are_inert(client, path: str, query: dict, headers: dict) -> set:
    """The CSV and XLSX of a report: no formula anywhere; the XLSX cell values."""
    def export(fmt: str) -> bytes:
        response = client.get(path, query_string={**query, "format": fmt}, headers=headers)
        assert response.status_code == 200
        return response.data

    assert_no_formula_in_csv(csv_cells(export("csv")))
    return assert_no_formula_in_xlsx(export("xlsx"))


def test_attendance_exports_neutralise_formulas(client, app, payload_people):
    query = {"from": "2025-04-01", "to": "2025-04-03"}
    rows = inert(client.get("/api/v1/reports/attendance", query_string=query, headers=payload_people))
    assert {row["name_th"] for row in rows} == {f"{p} {p}" for p in PAYLOADS}  # JSON: verbatim
    exported_files_are_inert(client, "/api/v1/reports/attendance", query, payload_people)
    assert_database_intact(app, users=1, units=len(PAYLOADS), employees=len(PAYLOADS))


def test_salary_step_exports_neutralise_formulas(client, app, payload_people):
    query = {"fiscal_year": 2568, "round": 2}
    report = inert(client.get("/api/v1/reports/salary-step", query_string=query, headers=payload_people))
    assert {row["name_th"] for row in report["employees"]} == {f"{p} {p}" for p in PAYLOADS}
    assert {row["unit_name_th"] for row in report["employees"]} == set(PAYLOADS)
    values = exported_files_are_inert(client, "/api/v1/reports/salary-step", query, payload_people)
    for payload in FORMULAS:  # the unit names on the summary sheet and in the table of people
        assert "'" + payload in values


def test_control_characters_in_names_do_not_break_xlsx_exports(client, admin):
    headers = admin["headers"]
    unit = inert(client.post("/api/v1/units", json={"code": "CTRL", "name_th": "หน่วย\x07งาน"}, headers=headers), 201)
    inert(client.post("/api/v1/employees", json={"code": "CTRL1", "first_name_th": "ก\x0bข", "last_name_th": "ค",
                                                  "unit_id": unit["id"]}, headers=headers), 201)
    attendance = client.get("/api/v1/reports/attendance", query_string={
        "from": "2025-04-01", "to": "2025-04-01", "format": "xlsx"}, headers=headers)
    salary_step = client.get("/api/v1/reports/salary-step", query_string={
        "fiscal_year": 2568, "round": 2, "format": "xlsx"}, headers=headers)
    assert (attendance.status_code, salary_step.status_code) == (200, 200)
    # the control characters are dropped, the rest of the name is kept
    values = {cell.value for _, cell in xlsx_cells(salary_step.data)}
    assert "กข ค" in values and any("หน่วยงาน" in str(value) for value in values)


def test_report_jobs_files_neutralise_formulas_too(client, app, payload_people):
    for fmt in ("csv", "xlsx"):
        job = inert(client.post("/api/v1/reports/jobs", json={"fiscal_year": 2568, "round": 2, "format": fmt},
                                headers=payload_people), 202)
        status = inert(client.get(job["status_url"], headers=payload_people))
        assert status["status"] == "done", status
        data = client.get(status["download_url"], headers=payload_people).data
        if fmt == "csv":
            assert_no_formula_in_csv(csv_cells(data))
        else:
            assert_no_formula_in_xlsx(data)


# --- the web pages ------------------------------------------------------------------------------

HTML_SINKS = re.compile(r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\s*\(|"
                        r"new\s+Function\s*\(|createContextualFragment|DOMParser|setAttribute\(\s*[\"']on"
                        r"|\.srcdoc\b|setTimeout\(\s*[\"'`]|setInterval\(\s*[\"'`]")


@pytest.mark.parametrize("script", sorted(path.name for path in STATIC.glob("*.js")))
def test_pages_never_insert_api_text_as_html(script):
    source = (STATIC / script).read_text(encoding="utf-8")
    assert not HTML_SINKS.findall(source)


def test_the_page_helper_builds_text_nodes():
    source = (STATIC / "api.js").read_text(encoding="utf-8")
    helper = re.search(r"function el\(.*?\n}\n", source, re.S).group(0)
    # Children are appended as nodes or strings (strings become text nodes); attributes by setAttribute.
    assert "node.append(child)" in helper and "setAttribute" in helper and "HTML" not in helper

