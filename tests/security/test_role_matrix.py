"""Every endpoint x every kind of caller -> the expected status.

The matrix is checked against the app's URL map: an endpoint without an entry fails the suite.
Roles run in a fixed order with admin last, so an admin's change cannot mask another answer.
"""

import io
import uuid
from datetime import date, timedelta

import pytest

from tests.support.api import checkin_form
from tests.support.faces import face_photo
from tests.support.places import SQUARE_CITY_HALL

ACTORS = ["anonymous", "employee", "other_employee", "supervisor", "other_supervisor", "hr", "admin"]
PUBLIC = {("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/openapi.json"), ("GET", "/docs/"),
          ("GET", "/docs"), ("GET", "/docs/assets/<path:filename>"), ("GET", "/static/<path:filename>"),
          # A check-in screen's page: opened by its display token (tests/geofences/test_signs_api.py).
          ("GET", "/signs/<int:sign_id>/display"), ("GET", "/signs/<int:sign_id>/display/qr.png"),
          # The pages' static shells; every piece of data they show comes from the API above.
          ("GET", "/app"), ("GET", "/review"), ("GET", "/web/<path:filename>"), ("GET", "/app/sw.js"),
          ("GET", "/web/fonts/<any('Sarabun-Regular.ttf', 'Sarabun-SemiBold.ttf'):filename>"),
          ("GET", "/app/manifest.webmanifest"), ("GET", "/app/icon-<any('192', '512'):size>.png"),
          # Prometheus scraping: network-restricted, or METRICS_TOKEN (tests/app/test_observability.py).
          ("GET", "/metrics")}


def statuses(employee, other_employee, supervisor, other_supervisor, hr, admin, anonymous=401):
    return dict(anonymous=anonymous, employee=employee, other_employee=other_employee, supervisor=supervisor,
                other_supervisor=other_supervisor, hr=hr, admin=admin)


ADMIN_ONLY = statuses(403, 403, 403, 403, 403, None)
STAFF_READ = statuses(403, 403, 200, 200, 200, 200)
OWNER_SCOPED = statuses(200, 403, 200, 403, 200, 200)
EVERYONE = statuses(200, 200, 200, 200, 200, 200)

MATRIX = {
    # Public; "anonymous" has no account, so its credentials are refused.
    ("POST", "/api/v1/auth/token"): statuses(200, 200, 200, 200, 200, 200, anonymous=401),
    ("POST", "/api/v1/auth/refresh"): EVERYONE,  # with the caller's refresh token
    ("POST", "/api/v1/auth/logout"): statuses(204, 204, 204, 204, 204, 204),
    # One's own data only; HR and admin accounts here are linked to no employee.
    ("GET", "/api/v1/me/export"): statuses(200, 200, 200, 200, 403, 403),
    ("GET", "/api/v1/me/sites"): statuses(200, 200, 200, 200, 403, 403),
    ("POST", "/api/v1/me/password"): EVERYONE,  # one's own, with the current password
    ("GET", "/api/v1/users"): {**ADMIN_ONLY, "admin": 200},
    ("POST", "/api/v1/users"): {**ADMIN_ONLY, "admin": 201},
    ("GET", "/api/v1/users/<int:user_id>"): {**ADMIN_ONLY, "admin": 200},
    ("PATCH", "/api/v1/users/<int:user_id>"): {**ADMIN_ONLY, "admin": 200},
    ("GET", "/api/v1/units"): STAFF_READ,
    ("POST", "/api/v1/units"): {**ADMIN_ONLY, "admin": 201},
    ("GET", "/api/v1/units/<int:unit_id>"): STAFF_READ,
    ("PATCH", "/api/v1/units/<int:unit_id>"): {**ADMIN_ONLY, "admin": 200},
    ("GET", "/api/v1/employees"): STAFF_READ,
    ("POST", "/api/v1/employees"): {**ADMIN_ONLY, "admin": 201},
    ("GET", "/api/v1/employees/<int:employee_id>"): OWNER_SCOPED,
    ("PATCH", "/api/v1/employees/<int:employee_id>"): {**ADMIN_ONLY, "admin": 200},
    ("GET", "/api/v1/sites"): STAFF_READ,
    ("POST", "/api/v1/sites"): {**ADMIN_ONLY, "admin": 201},
    ("GET", "/api/v1/sites/<int:site_id>"): STAFF_READ,
    ("PUT", "/api/v1/sites/<int:site_id>"): {**ADMIN_ONLY, "admin": 200},
    ("DELETE", "/api/v1/sites/<int:site_id>"): {**ADMIN_ONLY, "admin": 204},
    # Anyone linked to an employee record clocks in; HR and admin accounts here have none.
    ("POST", "/api/v1/checkins"): statuses(201, 201, 201, 201, 403, 403),
    ("GET", "/api/v1/checkins"): EVERYONE,
    ("GET", "/api/v1/checkins/<int:checkin_id>"): OWNER_SCOPED,
    ("GET", "/api/v1/checkins/<int:checkin_id>/selfie"): OWNER_SCOPED,
    ("GET", "/api/v1/reasons"): EVERYONE,
    # Biometric data: admin and HR enrol and erase; the employee may see their own list.
    ("GET", "/api/v1/employees/<int:employee_id>/faces"): statuses(200, 403, 403, 403, 200, 200),
    ("POST", "/api/v1/employees/<int:employee_id>/faces"): statuses(403, 403, 403, 403, 201, 201),
    ("DELETE", "/api/v1/employees/<int:employee_id>/faces"): statuses(403, 403, 403, 403, 204, 204),
    ("GET", "/api/v1/employees/<int:employee_id>/faces/<int:face_id>/thumbnail.jpg"): OWNER_SCOPED,
    ("GET", "/api/v1/sites/<int:site_id>/signs"): {**ADMIN_ONLY, "admin": 200},
    ("POST", "/api/v1/sites/<int:site_id>/signs"): {**ADMIN_ONLY, "admin": 201},
    ("GET", "/api/v1/sites/<int:site_id>/signs/<int:sign_id>"): {**ADMIN_ONLY, "admin": 200},
    ("DELETE", "/api/v1/sites/<int:site_id>/signs/<int:sign_id>"): {**ADMIN_ONLY, "admin": 204},
    ("GET", "/api/v1/sites/<int:site_id>/signs/<int:sign_id>/poster.<any(png, pdf):fmt>"): {**ADMIN_ONLY, "admin": 200},
    ("GET", "/api/v1/reviews"): STAFF_READ,
    # The unit's supervisor decides first; HR only reads; the admin then finds it decided.
    ("POST", "/api/v1/reviews/<int:checkin_id>"): statuses(403, 403, 200, 403, 403, 409),
    ("GET", "/api/v1/checkins/<int:checkin_id>/audit"): OWNER_SCOPED,
    ("GET", "/api/v1/checkins/<int:checkin_id>/evidence"): OWNER_SCOPED,
    ("GET", "/api/v1/leaves"): EVERYONE,  # employees: their own
    ("POST", "/api/v1/leaves"): statuses(403, 403, 403, 403, 201, 201),
    ("POST", "/api/v1/leaves/import"): statuses(403, 403, 403, 403, 201, 201),
    ("GET", "/api/v1/leave-types"): EVERYONE,
    ("POST", "/api/v1/punches/import"): statuses(403, 403, 403, 403, 200, 200),
    ("GET", "/api/v1/holidays"): EVERYONE,
    ("POST", "/api/v1/holidays"): {**ADMIN_ONLY, "admin": 201},
    ("DELETE", "/api/v1/holidays/<int:holiday_id>"): {**ADMIN_ONLY, "admin": 204},
    ("GET", "/api/v1/calendar"): EVERYONE,
    ("GET", "/api/v1/schedules"): STAFF_READ,
    ("POST", "/api/v1/schedules"): {**ADMIN_ONLY, "admin": 201},
    ("POST", "/api/v1/schedules/assignments"): {**ADMIN_ONLY, "admin": 201},
    ("POST", "/api/v1/schedules/overrides"): {**ADMIN_ONLY, "admin": 201},
    ("POST", "/api/v1/exemptions"): statuses(403, 403, 403, 403, 201, 201),
    # The employee's supervisor confirms; the admin then finds it confirmed.
    ("POST", "/api/v1/absences"): statuses(403, 403, 201, 403, 403, 409),
    ("GET", "/api/v1/reports/salary-step"): STAFF_READ,  # supervisors: their own units
    ("GET", "/api/v1/reports/attendance"): STAFF_READ,
    ("GET", "/api/v1/reports/usage"): statuses(403, 403, 403, 403, 200, 200),
    ("POST", "/api/v1/reports/jobs"): statuses(403, 403, 202, 202, 202, 202),
    # The job below was asked for by the unit's supervisor: theirs, and HR's and admin's to see.
    ("GET", "/api/v1/reports/jobs/<int:job_id>"): statuses(403, 403, 200, 403, 200, 200),
    ("GET", "/api/v1/reports/jobs/<int:job_id>/download"): statuses(403, 403, 200, 403, 200, 200),
}

QUERIES = {
    ("GET", "/api/v1/calendar"): "?from=2025-04-01&to=2025-04-30",
    ("GET", "/api/v1/reports/salary-step"): "?fiscal_year=2568&round=2",
    ("GET", "/api/v1/reports/attendance"): "?from=2025-04-01&to=2025-04-10",
    ("GET", "/api/v1/reports/usage"): "?fiscal_year=2568",
}


@pytest.fixture
def world(make, client):
    site = make.site()
    unit, other_unit = make.unit(site_ids=(site,)), make.unit(site_ids=(site,))
    actors = {
        "employee": make.staff("employee", unit),
        "other_employee": make.staff("employee", other_unit),
        "supervisor": make.staff("supervisor", unit),
        "other_supervisor": make.staff("supervisor", other_unit),
        "hr": make.user("hr"),
        "admin": make.user("admin"),
        "anonymous": {"headers": {}, "username": "nobody"},
    }
    for actor in actors.values():
        if actor["headers"]:
            refresh = client.post("/api/v1/auth/token", json={"username": actor["username"],
                                                              "password": "punch-clock-42"}).get_json()["refresh_token"]
            actor["refresh_headers"] = {"Authorization": f"Bearer {refresh}"}
    # Flagged (mock location), so that it waits in the review queue.
    response = client.post("/api/v1/checkins", data=checkin_form(mock_location="true"),
                           headers=actors["employee"]["headers"], content_type="multipart/form-data")
    ids = {"user_id": actors["employee"]["id"], "unit_id": unit, "employee_id": actors["employee"]["employee_id"],
           "site_id": site, "checkin_id": response.get_json()["id"],
           "face_id": make.enrol(actors["employee"]["employee_id"]), "sign_id": make.sign(site),
           "holiday_id": make.holiday(), "schedule_id": make.schedule(),
           "employee_code": make.employee_code(actors["employee"]["employee_id"])}
    ids["job_id"] = client.post("/api/v1/reports/jobs", json={"fiscal_year": 2568, "round": 2, "format": "json"},
                                headers=actors["supervisor"]["headers"]).get_json()["id"]
    return actors, ids


def request_for(method, rule, actor, ids):
    """(path, keyword arguments for the test client) making a valid request for this rule."""
    path = rule.replace("<any(png, pdf):fmt>", "png") + QUERIES.get((method, rule), "")
    for name, value in ids.items():
        path = path.replace(f"<int:{name}>", str(value))
    unique = uuid.uuid4().hex[:8]
    day = (date(2024, 1, 1) + timedelta(days=int(unique, 16) % 3000)).isoformat()  # distinct per request
    code = ids["employee_code"]
    feature = {"type": "Feature", "geometry": SQUARE_CITY_HALL, "properties": {"code": f"S{unique}", "name": "ที่"}}
    bodies = {
        ("POST", "/api/v1/auth/token"): {"json": {"username": actor["username"], "password": "punch-clock-42"}},
        ("POST", "/api/v1/auth/refresh"): {"headers": actor.get("refresh_headers", {})},
        ("POST", "/api/v1/me/password"): {"json": {"current_password": "punch-clock-42",
                                                    "new_password": f"new-password-{unique}"}},
        ("POST", "/api/v1/users"): {"json": {"username": f"u{unique}", "password": "long-enough-1", "role": "hr"}},
        ("PATCH", "/api/v1/users/<int:user_id>"): {"json": {"active": True}},
        ("POST", "/api/v1/units"): {"json": {"code": f"U{unique}", "name_th": "หน่วย"}},
        ("PATCH", "/api/v1/units/<int:unit_id>"): {"json": {"name_th": "หน่วยใหม่"}},
        ("POST", "/api/v1/employees"): {"json": {"code": f"E{unique}", "first_name_th": "ก", "last_name_th": "ข",
                                                 "unit_id": ids["unit_id"]}},
        ("PATCH", "/api/v1/employees/<int:employee_id>"): {"json": {"position": "ตำแหน่ง"}},
        ("POST", "/api/v1/sites"): {"json": feature},
        ("PUT", "/api/v1/sites/<int:site_id>"): {"json": feature},
        ("POST", "/api/v1/checkins"): {"data": checkin_form(), "content_type": "multipart/form-data"},
        ("POST", "/api/v1/employees/<int:employee_id>/faces"): {
            "data": {"photo": (io.BytesIO(face_photo("obama/obama_2.jpg")), "face.jpg"), "consent": "true"},
            "content_type": "multipart/form-data"},
        ("POST", "/api/v1/sites/<int:site_id>/signs"): {"json": {"kind": "printed", "label": "ประตู 1"}},
        ("POST", "/api/v1/reviews/<int:checkin_id>"): {"json": {"decision": "approve"}},
        ("POST", "/api/v1/leaves"): {"json": {"employee_id": ids["employee_id"], "leave_type": "sick",
                                              "start_date": day, "end_date": day}},
        ("POST", "/api/v1/leaves/import"): {"data": {"file": (io.BytesIO(
            f"employee_code,leave_type,start_date,end_date,half_day\n{code},personal,{day},{day},am\n".encode()),
            "leave.csv")}, "content_type": "multipart/form-data"},
        ("POST", "/api/v1/punches/import"): {"data": {"file": (io.BytesIO(
            f"employee_code,timestamp,kind,device_id\n{code},{day}T08:20:00+07:00,in,clock-1\n".encode()),
            "punches.csv")}, "content_type": "multipart/form-data"},
        ("POST", "/api/v1/holidays"): {"json": {"day": day, "name_th": "วันหยุดพิเศษ"}},
        ("POST", "/api/v1/schedules"): {"json": {"code": f"S{unique}", "name_th": "เข้า 07:30",
                                                 "start": "07:30:00", "end": "15:30:00"}},
        ("POST", "/api/v1/schedules/assignments"): {"json": {"schedule_id": ids["schedule_id"],
                                                             "unit_id": ids["unit_id"], "valid_from": day}},
        ("POST", "/api/v1/schedules/overrides"): {"json": {"day": day, "start": "10:00:00", "note": "ฝนตกหนัก"}},
        ("POST", "/api/v1/exemptions"): {"json": {"employee_id": ids["employee_id"], "start_date": day,
                                                  "end_date": day, "note": "ลงพื้นที่"}},
        ("POST", "/api/v1/absences"): {"json": {"employee_id": ids["employee_id"], "day": "2025-04-02"}},
        ("POST", "/api/v1/reports/jobs"): {"json": {"fiscal_year": 2568, "round": 1, "format": "csv"}},
    }
    return path, bodies.get((method, rule), {})


def api_rules(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule.rule


def test_every_endpoint_has_an_entry_in_the_matrix(app):
    missing = [(method, rule) for method, rule in api_rules(app)
               if (method, rule) not in MATRIX and (method, rule) not in PUBLIC]
    assert missing == [], f"add these endpoints to the matrix: {missing}"
    assert set(MATRIX) <= set(api_rules(app))


@pytest.mark.parametrize("endpoint", sorted(MATRIX), ids=lambda endpoint: f"{endpoint[0]} {endpoint[1]}")
def test_each_caller_gets_the_expected_status(client, world, endpoint):
    actors, ids = world
    method, rule = endpoint
    got = {}
    for name in ACTORS:
        actor = actors[name]
        path, kwargs = request_for(method, rule, actor, ids)
        headers = kwargs.pop("headers", actor["headers"])
        response = client.open(path, method=method, headers=headers, **kwargs)
        got[name] = response.status_code
    assert got == MATRIX[endpoint]
