"""The application factory: `create_app` only wires things together."""

from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, g, request, send_from_directory
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import DEVELOPMENT_SECRET_KEY, INSTANCE_DIR, Config, normalise_database_url

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(Config)
    # Thai text goes out as UTF-8, not \u escapes; keys keep the schema's order.
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.config.update(overrides or {})
    app.config["DATABASE_URL"] = normalise_database_url(app.config["DATABASE_URL"])
    app.config.setdefault("JWT_SECRET_KEY", app.config["SECRET_KEY"])
    _check_secrets(app)

    from . import observability, web_security
    from .biometrics import sealed
    from .checkins.candidates import CandidateCache
    from .checkins.service import queued_count
    from .cli import register_cli
    from .errors import register_error_handlers
    from .extensions import api, db, jwt, limiter
    from .reports import policy_config

    if app.config["TRUSTED_PROXY_HOPS"]:
        hops = app.config["TRUSTED_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    db.init_app(app)
    policy_config.init_app(app)  # a bad salary-step policy file stops the start, naming every problem
    CandidateCache(app.config["CANDIDATE_CACHE_SECONDS"]).init_app(app)
    sealed.init_app(app)
    jwt.init_app(app)
    limiter.init_app(app)
    api.init_app(app, spec_kwargs={"components": {"securitySchemes": {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}}})
    _register_blueprints(app, api)
    register_error_handlers(app)
    _register_request_id(app)
    observability.init_app(app, queue_depth=queued_count)
    web_security.init_app(app)
    _register_docs_assets(app)

    if app.config.get("CELERY_BROKER_URL"):
        from .jobs import make_celery

        make_celery(app)

    register_cli(app)
    app.logger.setLevel(logging.INFO)  # Flask's handler on the "checkin" logger covers all modules
    return app


def _check_secrets(app: Flask) -> None:
    """The public development key would sign anyone's tokens and derive the key of the face data:
    fine for a demo on SQLite, never for a deployment."""
    missing = [name for name, unset in (("SECRET_KEY", app.config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY),
                                        ("BIOMETRIC_KEYS", not app.config.get("BIOMETRIC_KEYS"))) if unset]
    deployed = app.config.get("ENV") == "production" or not app.config["DATABASE_URL"].startswith("sqlite")
    if missing and deployed:
        raise RuntimeError(f"Refusing to start: set {' and '.join(missing)} (ENV=production or a database other "
                           "than SQLite). README, Production, says how to make them.")
    if "SECRET_KEY" in missing:
        app.logger.warning("SECRET_KEY is not set: using the development key. Set it in production.")


def _register_blueprints(app: Flask, api) -> None:
    """Every domain's routes; the order is the order of the API documentation."""
    from geofences.routes import blp as sites_blp
    from geofences.sign_routes import blp as signs_blp
    from geofences.sign_routes import display_blp

    from .accounts.routes import blp as auth_blp
    from .biometrics.routes import blp as faces_blp
    from .checkins.routes import blp as checkins_blp
    from .health import blp as health_blp
    from .org.routes import blp as org_blp
    from .privacy.routes import blp as privacy_blp
    from .reports.routes import blp as reports_blp
    from .reviews.routes import blp as reviews_blp
    from .timekeeping.routes import blp as timekeeping_blp
    from .web.routes import blp as web_blp

    for blueprint in (auth_blp, org_blp, faces_blp, sites_blp, signs_blp, display_blp, checkins_blp,
                      reviews_blp, timekeeping_blp, reports_blp, privacy_blp):
        api.register_blueprint(blueprint)
    app.register_blueprint(health_blp)
    app.register_blueprint(web_blp)


def _register_request_id(app: Flask) -> None:
    @app.before_request
    def _assign_request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID_PATTERN.match(given) else uuid.uuid4().hex

    @app.after_request
    def _return_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response


def _register_docs_assets(app: Flask) -> None:
    """Swagger UI's files from the swagger-ui-bundle package: no CDN on a closed network."""
    from swagger_ui_bundle import swagger_ui_path

    @app.get("/docs/assets/<path:filename>")
    def swagger_ui_asset(filename):
        return send_from_directory(swagger_ui_path, filename)
