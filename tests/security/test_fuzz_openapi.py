"""Contract fuzzing: schemathesis drives every operation of the app's own /openapi.json.

One pytest item per operation and role (admin: the role that may call most operations; and an
employee), each on a freshly seeded database (`_clean_database` empties the tables after each
test). Every response must keep the documented contract:
  * no 5xx;
  * the status code is documented for the operation explicitly: the `default` response that
    flask-smorest adds to every operation does not count (it would document any status);
  * the content type and the body match what is documented for that status.

The requests: for admin, schemathesis' coverage phase (a fixed set of boundary and
invalid values per parameter: missing fields, wrong types, out-of-range numbers, bad formats),
then, for both roles, a few Hypothesis examples in positive and negative mode. Half the time
an id in the path names a seeded row, so that lookups also find something, and an uploaded
photo is a real JPEG, so that the other fields of a check-in reach the decision.

Bounded and deterministic so that CI cannot flake: a fixed seed per operation with
`derandomize`, few examples (fewest where a request decodes an uploaded photo), no shrinking,
no example database, no health checks. FUZZ_EXAMPLES=<n> sets the number of random examples
per operation for a deeper run by hand:
  FUZZ_EXAMPLES=300 .venv/bin/pytest tests/security/test_fuzz_openapi.py
"""

from __future__ import annotations

import io
import os
import uuid
import zlib
from dataclasses import dataclass

import hypothesis
import hypothesis.strategies as st
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.generation.drivers import CoverageGenerator  # the coverage phase, as `st run` runs it
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.overrides import Override
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               skips_on_unexpected_http_status, status_code_conformance)

from checkin import create_app
from tests.support.api import assert_error, now_iso, post_checkin
from tests.support.images import jpeg_bytes
from tests.support.places import INSIDE_CITY_HALL

SEED = 20251122
METHODS = ("get", "put", "post", "patch", "delete")
ROLES = ("admin", "employee")
# Random examples per operation, after the coverage cases. An employee mostly meets an early 403.
EXAMPLES = {"admin": 10, "employee": 4}
# These decode (and, for a real photo, examine) an uploaded image: keep their examples few.
PHOTO_OPERATIONS = {("POST", "/api/v1/checkins"), ("POST", "/api/v1/employees/{employee_id}/faces")}
PHOTO_EXAMPLES = 3
PHOTO = jpeg_bytes(seed=7)


def _spec() -> dict:
    """The OpenAPI document, from an app that never touches its (in-memory) database."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://",
                      "SECRET_KEY": "fuzz-collection-only-0123456789abcdef0123"})
    return app.test_client().get("/openapi.json").get_json()


SPEC = _spec()
OPERATIONS = [(method.upper(), path) for path, item in SPEC["paths"].items() for method in item if method in METHODS]

@skips_on_unexpected_http_status  # a coverage probe with, e.g., a method the path does not have
def status_code_explicitly_documented(ctx, response, case) -> bool:
    """status_code_conformance without `default`: every status must be listed for the operation."""
    documented = sorted(code for code in case.operation.definition.raw.get("responses", {}) if code != "default")
    status = str(response.status_code)
    if status not in documented and f"{status[0]}XX" not in documented:
        raise AssertionError(f"Undocumented status code {status}: the operation documents {documented} "
                             f"(and `default`, which does not count)")
    return True


CHECKS = [not_a_server_error, status_code_conformance, status_code_explicitly_documented,
          content_type_conformance, response_schema_conformance]


@dataclass
class Seeded:
    """What the database holds before fuzzing."""

    ids: dict[str, list[int]]  # path parameter name -> ids of existing rows
    user_id: int  # the fuzzing user, as seeded
    role: str
    employee_id: int | None


def _seed(app, make, role: str, path: str) -> Seeded:
    """A site, a unit with a sub-unit, three employees (one with an employee user, one with the
    admin user), a printed and a display sign, a holiday, a schedule, an imported punch and two
    report jobs; rows that are slower to make only for the operations whose path names them."""
    from checkin.accounts.models import User
    from checkin.database import db
    from checkin.reports import service as reports
    from checkin.reports.tasks import run_job
    from checkin.timekeeping.punches import import_punches

    site = make.site()
    unit = make.unit(site_ids=(site,))
    child = make.unit(parent_id=unit)
    employee, other = make.employee(unit, site_ids=(site,)), make.employee(child)
    staff = make.user("employee", employee)
    admin = make.user("admin", make.employee(unit, site_ids=(site,)))  # an admin can clock in, too
    ids = {"site_id": [site], "unit_id": [unit, child], "employee_id": [employee, other, admin["employee_id"]],
           "user_id": [admin["id"], staff["id"]], "sign_id": [make.sign(site), make.sign(site, "display")],
           "holiday_id": [make.holiday()]}
    make.schedule()
    code = make.employee_code(employee)
    with app.app_context():
        requester = db.session.get(User, admin["id"])
        punch = import_punches(
            f"employee_code,timestamp,kind,device_id\n{code},2025-04-01T08:25:00+07:00,in,clock-1\n".encode(),
            requester)
        assert punch.created == 1
        ids["job_id"] = [reports.create_job(requester, {"fiscal_year": 2568, "round": 1, "unit": None}, fmt).id
                         for fmt in ("json", "csv")]
        db.session.commit()
        if "{job_id}" in path:  # one finished, one still queued
            run_job(ids["job_id"][0])
    ids["checkin_id"] = [_first_checkin_id(app)]  # the imported punch: no selfie
    if "{checkin_id}" in path:  # a flagged check-in with a selfie (its photo is examined once)
        ids["checkin_id"].append(_flagged_checkin(app, staff))
    if "{face_id}" in path:
        ids["face_id"] = [make.enrol(employee)]
    user = admin if role == "admin" else staff
    return Seeded(ids=ids, user_id=user["id"], role=role, employee_id=user["employee_id"])


def _first_checkin_id(app) -> int:
    from sqlalchemy import select

    from checkin.database import db
    from checkin.checkins.models import CheckIn

    with app.app_context():
        return db.session.scalar(select(CheckIn.id).order_by(CheckIn.id))


def _flagged_checkin(app, staff: dict) -> int:
    latitude, longitude = INSIDE_CITY_HALL
    response = app.test_client().post("/api/v1/checkins", headers=staff["headers"], data={
        "kind": "in", "latitude": str(latitude + 0.01), "longitude": str(longitude), "accuracy_m": "10",
        "captured_at": now_iso(), "client_event_id": str(uuid.uuid4()),
        "selfie": (io.BytesIO(jpeg_bytes(seed=1)), "selfie.jpg", "image/jpeg")})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["status"] == "flagged"
    return response.get_json()["id"]


class Credentials:
    """The fuzzing user's bearer token. On the operations that can revoke or change that user
    (log out, new password, role, disabled, employee unlinked) the user is put back as seeded,
    with a fresh token, before every request."""

    def __init__(self, app, seeded: Seeded, path: str):
        self.app, self.seeded = app, seeded
        self.volatile = path.startswith(("/api/v1/auth/", "/api/v1/users"))
        self.token = self._restore()

    def headers(self) -> dict:
        if self.volatile:
            self.token = self._restore()
        return {"Authorization": f"Bearer {self.token}"}

    def _restore(self) -> str:
        from checkin.accounts.auth import issue_token
        from checkin.accounts.models import User
        from checkin.database import db

        with self.app.app_context():
            user = db.session.get(User, self.seeded.user_id)
            user.active, user.role, user.employee_id = True, self.seeded.role, self.seeded.employee_id
            db.session.commit()
            return issue_token(user)[0]


def _operation(app, seeded: Seeded, method: str, path: str):
    # Generated requests always carry the token: none is spent on a missing or malformed
    # Authorization header (the test sends one request without a token itself).
    config = SchemathesisConfig.from_dict({"seed": SEED, "generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_dict(SPEC, config=config)
    schema.app = app  # requests go straight to the WSGI app

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        """Half the time, ids in the path name seeded rows."""
        if not isinstance(path_parameters, dict):
            return st.just(path_parameters)
        known = {name: seeded.ids[name] for name in path_parameters if name in seeded.ids}
        if not known:
            return st.just(path_parameters)
        existing = st.fixed_dictionaries({name: st.sampled_from(ids) for name, ids in known.items()})
        return st.one_of(st.just(path_parameters), existing.map(lambda ids: {**path_parameters, **ids}))

    @schema.hook
    def flatmap_body(context, body):
        """Half the time an uploaded photo is a real JPEG (a textured picture without a face), so
        that the other fields reach the decision, not only the image decoder."""
        field = {"/api/v1/checkins": "selfie", "/api/v1/employees/{employee_id}/faces": "photo"}.get(path)
        if field is None or not isinstance(body, dict) or field not in body:
            return st.just(body)
        return st.one_of(st.just(body), st.just({**body, field: PHOTO}))

    return schema[path][method]


def _coverage_cases(operation) -> list:
    return list(CoverageGenerator(
        operation=operation, generation_modes=list(GenerationMode), auth_storage=None, override=Override(),
        generation_config=operation.schema.config.generation_for(operation=operation, phase="coverage"),
        feedback=FeedbackSources()))


def _settings(role: str, method: str, path: str) -> hypothesis.settings:
    examples = int(os.environ.get("FUZZ_EXAMPLES", "0")) or (
        PHOTO_EXAMPLES if (method, path) in PHOTO_OPERATIONS else EXAMPLES[role])
    return hypothesis.settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                               phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                               suppress_health_check=list(hypothesis.HealthCheck), print_blob=False)


@pytest.mark.parametrize(("role", "method", "path"),
                         [(role, method, path) for role in ROLES for method, path in OPERATIONS],
                         ids=[f"{role} {method} {path}" for role in ROLES for method, path in OPERATIONS])
def test_operation_keeps_its_contract(app, make, role, method, path):
    seeded = _seed(app, make, role, path)
    operation = _operation(app, seeded, method, path)
    credentials = Credentials(app, seeded, path)

    def call_and_check(case, anonymous: bool = False):
        headers = {} if anonymous else credentials.headers()
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    if role == "admin":
        cases = _coverage_cases(operation)
        call_and_check(cases[0], anonymous=True)  # the 401 (or a public operation's answer)
        for case in cases:
            call_and_check(case)

    @hypothesis.seed(zlib.crc32(f"{SEED} {role} {method} {path}".encode()))
    @_settings(role, method, path)
    @hypothesis.given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                                     operation.as_strategy(GenerationMode.NEGATIVE)))
    def fuzz(case):
        call_and_check(case)

    fuzz()


# --- what the fuzzer found, pinned down -----------------------------------------------------

@pytest.mark.parametrize("url", [
    "/api/v1/checkins?from=0001-01-01T00:00:00%2B01:00",  # moving to UTC left year 1: OverflowError
    "/api/v1/checkins?to=9999-12-31T23:59:59-05:00",
    "/api/v1/calendar?from=9999-12-31&to=9999-12-31",  # from + 366 days
    "/api/v1/reports/attendance?from=0001-01-01&to=0001-01-01",  # Bangkok midnight in UTC
    "/api/v1/leaves?from=0001-01-01&to=9999-12-31",
    "/api/v1/employees?page=10000000000000000001",  # OFFSET beyond 64 bits: a driver error
    "/api/v1/reviews?page=2147483648",
])
def test_out_of_range_dates_and_pages_are_422(client, make, url):
    assert_error(client.get(url, headers=make.user("admin")["headers"]), 422)


def test_a_checkin_captured_in_year_one_is_422(client, make):
    response = post_checkin(client, make.staff(), captured_at="0001-01-01T00:00:00+01:00")
    assert "captured_at" in assert_error(response, 422)["errors"]["multipart"]


@pytest.mark.parametrize("times", [{"start": "00:00:00Z", "end": "08:00:00Z"},  # aware vs naive: TypeError
                                   {"start": "07:30+07:00", "end": "15:30"}])
def test_schedule_times_with_an_offset_are_422(client, make, times):
    response = client.post("/api/v1/schedules", json={"code": "W1", "name_th": "เช้า", **times},
                           headers=make.user("admin")["headers"])
    assert_error(response, 422)


def test_a_body_that_is_not_json_is_a_documented_400(client, make):
    response = client.post("/api/v1/units", data=b"\xff{", content_type="application/json",
                           headers=make.user("admin")["headers"])
    body = assert_error(response, 400)
    assert body["message"] == "The request body is not valid JSON (UTF-8)."
    assert "400" in SPEC["paths"]["/api/v1/units"]["post"]["responses"]


def test_a_display_token_with_non_ascii_characters_is_403(app, client, make):
    sign = make.sign(make.site(), "display")
    token = "ก" * 32  # hmac.compare_digest raised TypeError on non-ASCII text
    for url in (f"/signs/{sign}/display?token={token}", f"/signs/{sign}/display/qr.png?token={token}"):
        assert_error(client.get(url), 403, "DISPLAY_TOKEN_INVALID")
    assert_error(client.get(f"/signs/{sign + 1}/display?token={'0' * 32}"), 404)


def test_a_json_report_job_downloads_the_json_report(client, make):
    hr = make.user("hr")["headers"]
    job = client.post("/api/v1/reports/jobs", json={"fiscal_year": 2568, "round": 1, "format": "json"},
                      headers=hr).get_json()
    download = client.get(job["download_url"], headers=hr)
    assert download.status_code == 200 and download.mimetype == "application/json"
    report = client.get("/api/v1/reports/salary-step?fiscal_year=2568&round=1", headers=hr).get_json()
    # ISO dates, as GET /reports/salary-step gives them (flask.json wrote "Tue, 01 Oct 2024 00:00:00 GMT")
    assert download.get_json()["start_date"] == report["start_date"] == "2024-10-01"


@pytest.mark.parametrize(("url", "csv_line"), [
    ("/api/v1/punches/import", "{code},0001-01-01T00:00:00+05:00,in,clock-1"),  # stored in UTC: OverflowError
    ("/api/v1/punches/import", "{code},9999-12-31T23:00:00-05:00,in,clock-1"),
    ("/api/v1/leaves/import", "{code},sick,0001-01-01,9999-12-31,"),  # what the JSON API refuses
])
def test_csv_imports_refuse_out_of_range_times(client, make, url, csv_line):
    header = {"/api/v1/punches/import": "employee_code,timestamp,kind,device_id",
              "/api/v1/leaves/import": "employee_code,leave_type,start_date,end_date,half_day"}[url]
    code = make.employee_code(make.staff()["employee_id"])
    text = f"{header}\n{csv_line.format(code=code)}\n"
    response = client.post(url, data={"file": (io.BytesIO(text.encode()), "import.csv")},
                           content_type="multipart/form-data", headers=make.user("admin")["headers"])
    problem = assert_error(response, 422, "CSV_INVALID")["errors"]["file"][0]
    assert "must be between 1900-01-01 and 2199-12-31" in problem


@pytest.mark.parametrize("depth", [600, 100_000])  # deeper than the NUL check recursed / the decoder goes
@pytest.mark.parametrize("path", ["/api/v1/sites", "/api/v1/auth/token"])
def test_deeply_nested_json_is_a_4xx(client, make, path, depth):
    body = '{"type": "Feature", "geometry": ' + "[" * depth + "]" * depth + "}"
    response = client.post(path, data=body, content_type="application/json", headers=make.user("admin")["headers"])
    assert_error(response, 422 if depth < 900 else 400)
