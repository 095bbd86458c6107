"""Security headers and CORS for every response (issue 7: web hardening).

Every response gets X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Permissions-Policy,
HSTS (only when HSTS_SECONDS > 0) and a Content-Security-Policy chosen by what it is:

* the two web pages and their files (/app, /review, /web/*, /app/sw.js, ...): scripts, styles,
  fonts and API calls from this origin only, no inline script or style; photos as blob: URLs;
* /docs (Swagger UI): the same without inline script: flask-smorest's template initialises
  Swagger UI with an inline <script>, so /docs is served from our own page whose initialiser is
  a static file (/web/swagger-init.js);
* a sign's display page (/signs/<id>/display, built in geofences/sign_routes.py): no script at
  all, its stylesheet and QR image from this origin;
* everything else (the JSON API, images, exports, health, metrics): default-src 'none'.

CORS: only /api/*, only for the exact origins in CORS_ORIGINS (comma-separated; empty: no
cross-origin access at all), with the Authorization header allowed and preflight answered.
"""

from __future__ import annotations

import re

from flask import Flask, Response, render_template_string, request, url_for

PAGE_CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",  # the selfie preview and the review photos are blob: URLs
    "font-src 'self'",
    "connect-src 'self'",  # the API, and the service worker's fetches
    "manifest-src 'self'",
    "worker-src 'self'",  # /app/sw.js
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])

# Swagger UI: its own script and stylesheet from /docs/assets, the initialiser from /web; the
# SVG icons and the logo in its CSS are data: URIs; "Try it out" calls the API on this origin.
DOCS_CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])

# The display page (a kiosk screen) has no script at all.
SIGN_DISPLAY_CSP = "; ".join([
    "default-src 'none'",
    "img-src 'self'",
    "style-src 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
])

API_CSP = "default-src 'none'; frame-ancestors 'none'"

PERMISSIONS_POLICY = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()"

DOCS_ENDPOINT = "api-docs.openapi_swagger_ui"
SIGN_DISPLAY_ENDPOINT = "sign_display.SignDisplay"

# An origin as a browser sends it: scheme, host and optional port; no path, no wildcard.
ORIGIN_PATTERN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")

CORS_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "X-Request-ID"]
CORS_EXPOSE_HEADERS = ["X-Request-ID", "X-Pagination", "Retry-After", "Content-Disposition"]
CORS_MAX_AGE = 600

DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{{ title }}</title>
  <link href="{{ swagger_ui_url }}swagger-ui.css" rel="stylesheet" type="text/css">
  <script src="{{ swagger_ui_url }}swagger-ui-standalone-preset.js" defer></script>
  <script src="{{ swagger_ui_url }}swagger-ui-bundle.js" defer></script>
  <script src="{{ init_url }}" defer></script>
</head>
<body>
  <div id="swagger-ui-container" data-spec-url="{{ spec_url }}" data-config="{{ ui_config | tojson | forceescape }}"></div>
</body>
</html>
"""


def parse_origins(value: str | None) -> list[str]:
    """CORS_ORIGINS as a list of exact origins; anything that is not one fails at start-up."""
    origins = []
    for item in (value or "").split(","):
        origin = item.strip().rstrip("/")
        if not origin:
            continue
        if not ORIGIN_PATTERN.match(origin):
            raise ValueError(f"CORS_ORIGINS: {origin!r} is not an exact origin such as https://hr.example.org")
        origins.append(origin)
    return origins


def content_security_policy(endpoint: str | None, mimetype: str | None) -> str:
    if endpoint == DOCS_ENDPOINT:
        return DOCS_CSP
    if endpoint == SIGN_DISPLAY_ENDPOINT and mimetype == "text/html":
        return SIGN_DISPLAY_CSP
    if endpoint and endpoint.startswith("web."):
        return PAGE_CSP
    return API_CSP


def init_app(app: Flask) -> None:
    hsts_seconds = int(app.config.get("HSTS_SECONDS", 0) or 0)
    origins = parse_origins(app.config.get("CORS_ORIGINS", ""))

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(request.endpoint, response.mimetype)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        if hsts_seconds > 0:
            headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
        if request.path.startswith("/api/") and "Cache-Control" not in headers:
            # Personal data (evidence, reports, their files): no browser or proxy keeps a copy.
            headers["Cache-Control"] = "no-store"
        return response

    if origins:
        _init_cors(app, origins)
    _serve_docs_without_inline_script(app)


def _init_cors(app: Flask, origins: list[str]) -> None:
    from flask_cors import CORS

    CORS(app, resources={r"/api/*": {"origins": origins}}, methods=CORS_METHODS,
         allow_headers=CORS_ALLOW_HEADERS, expose_headers=CORS_EXPOSE_HEADERS, max_age=CORS_MAX_AGE,
         supports_credentials=False,  # bearer tokens, no cookies
         always_send=False)  # no Access-Control-Allow-Origin on requests without an Origin

    @app.after_request
    def _vary_on_origin(response: Response) -> Response:
        # flask-cors adds Vary only for several origins; a cache must never reuse an answer
        # made for one Origin (or none) for another.
        if request.path.startswith("/api/"):
            response.vary.add("Origin")
        return response


def _serve_docs_without_inline_script(app: Flask) -> None:
    """Swagger UI as flask-smorest configures it, but initialised by /web/swagger-init.js."""
    if DOCS_ENDPOINT not in app.view_functions:
        return

    def swagger_ui():
        return render_template_string(
            DOCS_PAGE, title=app.config.get("API_TITLE", "API"), spec_url=url_for("api-docs.openapi_json"),
            swagger_ui_url=app.config["OPENAPI_SWAGGER_UI_URL"],
            ui_config=app.config.get("OPENAPI_SWAGGER_UI_CONFIG", {}),
            init_url=url_for("web.asset", filename="swagger-init.js"))

    app.view_functions[DOCS_ENDPOINT] = swagger_ui
