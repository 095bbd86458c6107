"""Web hardening: security headers per kind of response, HSTS and CORS only when configured,
no secret in any log record, no stack trace in an error body."""

from __future__ import annotations

import html as html_module
import json
import logging
import re

import pytest

from checkin.observability import JsonFormatter
from checkin.web_security import API_CSP, DOCS_CSP, PAGE_CSP, SIGN_DISPLAY_CSP, parse_origins
from tests.support.api import assert_error
from tests.support.processes import another_process

PASSWORD = "Hardening-Secret-Pass-77"
WRONG_PASSWORD = "Wrong-Secret-Guess-31"
def make_app(app, **overrides):
    """Another app on the session's database, with some settings changed."""
    return another_process(app, **overrides)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_common_headers(response):
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    permissions = headers["Permissions-Policy"]
    assert "geolocation=(self)" in permissions and "camera=(self)" in permissions
    assert "Strict-Transport-Security" not in headers  # not configured
    return directives(headers["Content-Security-Policy"])


# --- security headers -------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/app", "/review", "/web/app.js", "/web/review.js", "/web/common.css",
                                  "/app/sw.js", "/app/manifest.webmanifest", "/app/icon-192.png",
                                  "/web/fonts/Sarabun-Regular.ttf"])
def test_pages_and_their_files_get_the_page_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = assert_common_headers(response)
    assert response.headers["Content-Security-Policy"] == PAGE_CSP
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert set(policy["img-src"]) == {"'self'", "data:", "blob:"}  # photos are shown as blob: URLs
    assert policy["connect-src"] == ["'self'"]  # the API; also what the service worker fetches
    assert policy["worker-src"] == ["'self'"] and policy["manifest-src"] == ["'self'"]


@pytest.mark.parametrize("page", ["app.html", "review.html"])
def test_pages_have_no_inline_script_style_or_handler(client, page):
    html = client.get(f"/web/{page}").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "javascript:" not in html


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json", "/api/v1/units", "/api/v1/nothing-here",
                                  "/docs/assets/swagger-ui-bundle.js", "/docs/assets/index.html", "/metrics"])
def test_everything_else_gets_the_strict_policy(client, make, path):
    response = client.get(path, headers=make.user("admin")["headers"])
    assert_common_headers(response)
    assert response.headers["Content-Security-Policy"] == API_CSP == "default-src 'none'; frame-ancestors 'none'"


def test_errors_and_unauthorised_answers_carry_the_headers(client):
    response = client.get("/api/v1/units")
    assert_error(response, 401)
    assert_common_headers(response)
    assert response.headers["Content-Security-Policy"] == API_CSP


def test_swagger_ui_runs_without_inline_script(client):
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    policy = assert_common_headers(response)
    assert response.headers["Content-Security-Policy"] == DOCS_CSP
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]  # "Try it out"
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert "/docs/assets/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert 'data-spec-url="/openapi.json"' in html
    initialiser = client.get("/web/swagger-init.js")
    assert initialiser.status_code == 200 and "SwaggerUIBundle" in initialiser.get_data(as_text=True)


def test_swagger_ui_config_reaches_the_page_escaped(app):
    docs = make_app(app, OPENAPI_SWAGGER_UI_CONFIG={"deepLinking": True, "x": "\"><script>alert(1)</script>"})
    html = docs.test_client().get("/docs").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    [config] = re.findall(r'data-config="([^"]*)"', html)
    assert json.loads(html_module.unescape(config)) == {"deepLinking": True, "x": "\"><script>alert(1)</script>"}


def test_sign_display_page_runs_no_script(client, make):
    admin = make.user("admin")
    site = make.site()
    sign = client.post(f"/api/v1/sites/{site}/signs", json={"kind": "display"}, headers=admin["headers"]).get_json()
    response = client.get(sign["display_url"])
    assert response.status_code == 200
    policy = assert_common_headers(response)
    assert response.headers["Content-Security-Policy"] == SIGN_DISPLAY_CSP
    assert policy["default-src"] == ["'none'"] and "script-src" not in policy  # falls back to 'none'
    assert policy["style-src"] == ["'self'"]  # a stylesheet file, no inline style
    html = response.get_data(as_text=True)
    assert "<script" not in html and "<style" not in html and " style=" not in html
    [stylesheet] = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert client.get(stylesheet).status_code == 200
    image = client.get(sign["display_url"].replace("/display?", "/display/qr.png?"))
    assert image.status_code == 200 and image.headers["Content-Security-Policy"] == API_CSP


def test_hsts_only_when_configured(app, client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    hsts = make_app(app, HSTS_SECONDS=31536000).test_client()
    for path in ("/healthz", "/app", "/api/v1/units"):
        assert hsts.get(path).headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in make_app(app, HSTS_SECONDS=0).test_client().get("/healthz").headers


# --- CORS ---------------------------------------------------------------------------------------

ALLOWED = "https://hr.example.org"
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}


@pytest.fixture
def cors_client(app):
    return make_app(app, CORS_ORIGINS=f" {ALLOWED}, https://kiosk.example.org:8443 ").test_client()


def test_no_cross_origin_access_by_default(client, make):
    admin = make.user("admin")
    preflight = client.options("/api/v1/units", headers={"Origin": ALLOWED, **PREFLIGHT})
    assert "Access-Control-Allow-Origin" not in preflight.headers
    response = client.get("/api/v1/units", headers={"Origin": ALLOWED, **admin["headers"]})
    assert response.status_code == 200
    assert not [name for name in response.headers.keys() if name.startswith("Access-Control-")]


def test_preflight_from_a_configured_origin(cors_client):
    response = cors_client.options("/api/v1/auth/token", headers={"Origin": ALLOWED, **PREFLIGHT})
    assert response.status_code == 200
    headers = response.headers
    assert headers["Access-Control-Allow-Origin"] == ALLOWED
    assert {value.strip().lower() for value in headers["Access-Control-Allow-Headers"].split(",")} \
        == {"authorization", "content-type"}
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in headers  # bearer tokens, not cookies
    assert "Origin" in headers.get("Vary", "")


def test_preflight_does_not_spend_login_attempts(app):
    limited = make_app(app, CORS_ORIGINS=ALLOWED, LOGIN_RATE_LIMIT="2 per minute").test_client()
    for _ in range(5):
        preflight = limited.options("/api/v1/auth/token", headers={"Origin": ALLOWED, **PREFLIGHT})
        assert preflight.status_code == 200
    assert limited.post("/api/v1/auth/token", json={"username": "nobody", "password": "x"}).status_code == 401


def test_cross_origin_requests_from_configured_origins_only(cors_client, make):
    admin = make.user("admin")
    allowed = cors_client.get("/api/v1/units", headers={"Origin": ALLOWED, **admin["headers"]})
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "X-Request-ID" in allowed.headers["Access-Control-Expose-Headers"]
    with_port = cors_client.get("/api/v1/units", headers={"Origin": "https://kiosk.example.org:8443"})
    assert with_port.headers["Access-Control-Allow-Origin"] == "https://kiosk.example.org:8443"
    assert_error(with_port, 401)  # the error answer is readable by the allowed origin too
    for origin in ("https://evil.example.org", "https://hr.example.org.evil.net", "http://hr.example.org",
                   "https://kiosk.example.org", "null"):
        denied = cors_client.get("/api/v1/units", headers={"Origin": origin, **admin["headers"]})
        assert "Access-Control-Allow-Origin" not in denied.headers, origin
        preflight = cors_client.options("/api/v1/units", headers={"Origin": origin, **PREFLIGHT})
        assert "Access-Control-Allow-Origin" not in preflight.headers, origin
    no_origin = cors_client.get("/api/v1/units", headers=admin["headers"])
    assert "Access-Control-Allow-Origin" not in no_origin.headers
    assert "Origin" in no_origin.headers.get("Vary", "")


@pytest.mark.parametrize("path", ["/app", "/docs", "/openapi.json", "/healthz", "/metrics"])
def test_cors_covers_the_api_only(cors_client, path):
    response = cors_client.get(path, headers={"Origin": ALLOWED})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("value", ["*", "https://*.example.org", "hr.example.org", "https://hr.example.org/app",
                                   "https://hr.example.org^", "null"])
def test_cors_origins_must_be_exact(value):
    with pytest.raises(ValueError):
        parse_origins(value)


def test_cors_origins_parsing():
    assert parse_origins("") == [] and parse_origins(None) == [] and parse_origins(" , ") == []
    assert parse_origins("https://a.example.org/, http://localhost:5173") == ["https://a.example.org",
                                                                            "http://localhost:5173"]


# --- secrets in logs, stack traces in error bodies ----------------------------------------------

@pytest.fixture
def json_logging_app(app):
    logger = logging.getLogger("checkin")
    handlers, level = logger.handlers[:], logger.level
    yield make_app(app, LOG_FORMAT="json", LOG_REQUESTS=True)
    logger.handlers[:] = handlers  # the JSON handler replaced the "checkin" logger's handlers
    logger.setLevel(level)


def _logged_text(records) -> str:
    """Everything a record could write: formatted JSON line, message, arguments, extras."""
    formatter = JsonFormatter()
    parts = []
    for record in records:
        parts.append(formatter.format(record))
        parts.append(repr(record.args))
        parts.append(repr({key: value for key, value in vars(record).items() if key not in ("args", "exc_info")}))
    return "\n".join(parts)


def test_passwords_and_tokens_never_reach_the_logs(json_logging_app, make, caplog):
    user = make.user("admin", password=PASSWORD)
    client = json_logging_app.test_client()
    caplog.set_level(logging.DEBUG)
    failed = client.post("/api/v1/auth/token", json={"username": user["username"], "password": WRONG_PASSWORD})
    assert failed.status_code == 401
    succeeded = client.post("/api/v1/auth/token", json={"username": user["username"], "password": PASSWORD})
    assert succeeded.status_code == 200
    tokens = succeeded.get_json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/v1/units", headers=bearer).status_code == 200
    assert client.post("/api/v1/auth/refresh",
                       headers={"Authorization": f"Bearer {tokens['refresh_token']}"}).status_code == 200
    assert client.get("/api/v1/units", headers={"Authorization": "Bearer not.a.valid-token"}).status_code == 401

    request_lines = [record for record in caplog.records if record.getMessage() == "request"]
    assert len(request_lines) == 5 and all(record.request_id for record in request_lines)  # logging is on
    text = _logged_text(caplog.records)
    for secret in (PASSWORD, WRONG_PASSWORD, tokens["access_token"], tokens["refresh_token"],
                   user["headers"]["Authorization"].split()[1], "not.a.valid-token"):
        assert secret not in text
    for token in (tokens["access_token"], tokens["refresh_token"]):  # nor a recognisable part of one
        assert token.split(".")[2] not in text


def test_an_unexpected_error_answers_the_standard_shape_without_a_trace(client, make, monkeypatch, caplog):
    from checkin.org import service

    def explode():
        raise RuntimeError('boom in "/srv/checkin/org/service.py", line 42: password=hunter2')

    monkeypatch.setattr(service, "list_units", explode)
    caplog.set_level(logging.ERROR)
    response = client.get("/api/v1/units", headers={**make.user("admin")["headers"], "X-Request-ID": "trace-me-1"})
    body = assert_error(response, 500)
    assert set(body) == {"code", "status", "message"}
    assert body["status"] == "Internal Server Error"
    assert "trace-me-1" in body["message"] and response.headers["X-Request-ID"] == "trace-me-1"
    raw = response.get_data(as_text=True)
    for leak in ("Traceback", "boom", "hunter2", ".py", 'File "', "RuntimeError", "/srv/", "line 42"):
        assert leak not in raw
    assert response.mimetype == "application/json"
    assert response.headers["Content-Security-Policy"] == API_CSP
    # The trace goes to the log, tied to the same request id, for whoever runs the service.
    [logged] = [record for record in caplog.records if record.exc_info]
    assert "trace-me-1" in logged.getMessage()


def test_an_unexpected_error_outside_the_api_is_no_html_trace_either(client, monkeypatch):
    from checkin.web import routes

    def explode(*args, **kwargs):
        raise OSError("/work/main/checkin/web/static/app.html: disk on fire")

    monkeypatch.setattr(routes, "send_from_directory", explode)
    response = client.get("/app")
    body = assert_error(response, 500)
    assert "request id" in body["message"]
    raw = response.get_data(as_text=True)
    assert "disk on fire" not in raw and "Traceback" not in raw and "/work/" not in raw


def test_the_gunicorn_access_log_leaves_out_query_strings_and_referers():
    """A sign display's ?token= (and a search's ?q= with names) must not reach the access log."""
    import datetime
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    settings = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    token = "s3cr3t-display-token"
    uri = f"/signs/7/display/qr.png?token={token}"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": uri, "PATH_INFO": "/signs/7/display/qr.png",
               "QUERY_STRING": f"token={token}", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.9",
               "HTTP_REFERER": f"https://etk.example.org/signs/7/display?token={token}",
               "HTTP_USER_AGENT": "kiosk"}
    atoms = Logger(Config()).atoms(SimpleNamespace(status="200 OK", headers=[], sent=512), SimpleNamespace(headers=[]),
                                   environ, datetime.timedelta(milliseconds=12))
    line = settings["access_log_format"] % atoms
    assert '"GET /signs/7/display/qr.png HTTP/1.1" 200 512 12ms' in line
    assert token not in line
