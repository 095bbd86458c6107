"""Configuration: read the environment once, with defaults that run on a bare machine.

| variable                 | default                                  | meaning                                   |
|--------------------------|------------------------------------------|-------------------------------------------|
| DATABASE_URL             | sqlite:///<instance>/etimekeeping.db     | SQLAlchemy URL; plain postgresql:// works |
| STORAGE_DIR              | <instance>/storage                       | where selfies are kept (content-addressed)|
| STORAGE_BACKEND          | local                                    | local, or s3 (S3_BUCKET, S3_PREFIX,       |
|                          |                                          | S3_ENDPOINT_URL, S3_REGION; boto3 creds)  |
| ENV                      | development                              | production: refuse to start without       |
|                          |                                          | SECRET_KEY and BIOMETRIC_KEYS             |
| SECRET_KEY               | a development key (warns)                | signs tokens; required in production and  |
|                          |                                          | with any database but SQLite              |
| ACCESS_TOKEN_MINUTES     | 15                                       | lifetime of an access token               |
| REFRESH_TOKEN_HOURS      | 168 (7 days)                             | lifetime of a refresh token               |
| LOGIN_RATE_LIMIT         | 30 per minute                            | login attempts per address (any outcome)  |
| CHECKIN_RATE_LIMIT       | 12 per 10 minutes; 60 per day            | new check-ins one employee may send       |
|                          |                                          | (429 with Retry-After beyond)             |
| LOGIN_MAX_FAILURES_PER_USER    | 5                                  | failures before a user name is locked     |
| LOGIN_MAX_FAILURES_PER_ADDRESS | 20                                 | failures before an address is locked      |
| LOGIN_LOCK_SECONDS       | 60                                       | first lock; doubles with each failure     |
| LOGIN_LOCK_MAX_SECONDS   | 3600                                     | longest lock                              |
| LOGIN_FAILURE_WINDOW_SECONDS | 3600                                 | quiet time after which failures are       |
|                          |                                          | forgotten                                 |
| REDIS_URL                | (none)                                   | Redis for the queue and the login limiter |
| CELERY_BROKER_URL        | REDIS_URL                                | set: photo checks of GPS-accepted         |
|                          |                                          | check-ins and report jobs go to workers   |
| RATELIMIT_STORAGE_URI    | REDIS_URL, else memory://                | shared login limits across processes      |
| MAX_SELFIE_BYTES         | 10485760 (10 MB)                         | largest accepted selfie file              |
| MAX_SELFIE_PIXELS        | 50000000                                 | largest accepted selfie in pixels         |
| LOG_FORMAT               | text                                     | json: structured logs with request ids    |
| METRICS_TOKEN            | (none)                                   | /metrics on, behind this bearer token     |
| METRICS_ENABLED          | 0                                        | 1: /metrics on without a token (a private |
|                          |                                          | scrape network); off (404) otherwise      |
| PROMETHEUS_MULTIPROC_DIR | (none)                                   | set under several gunicorn workers        |
| CANDIDATE_CACHE_SECONDS  | 30                                       | how long a process keeps an employee's    |
|                          |                                          | candidate sites (changes made elsewhere   |
|                          |                                          | reach it within this time)                |
| BIOMETRIC_KEYS           | derived from SECRET_KEY (SQLite only)    | Fernet keys (comma-separated, newest      |
|                          |                                          | first) sealing face encodings at rest;    |
|                          |                                          | required where SECRET_KEY is              |
| SELFIE_RETENTION_DAYS    | 90                                       | selfies older than this are purged by     |
|                          |                                          | `flask --app wsgi purge-biometrics`       |
| HSTS_SECONDS             | 0 (off)                                  | Strict-Transport-Security max-age; set it |
|                          |                                          | once the service is only served by HTTPS  |
| CORS_ORIGINS             | (none: no cross-origin access)           | exact origins allowed to call /api/*,     |
|                          |                                          | comma-separated                           |
| POLICY_FILE              | checkin/reports/policy.yaml              | salary-step limits: dated policies (YAML),|
|                          |                                          | checked at start (a bad file or unknown   |
|                          |                                          | unit code stops it); `flask check-policy` |
| TRUSTED_PROXY_HOPS       | 0                                        | reverse proxies in front that set         |
|                          |                                          | X-Forwarded-For/-Proto (1 behind nginx):  |
|                          |                                          | the client's address for login limits,    |
|                          |                                          | lockout and the audit trail               |
"""

from __future__ import annotations

import os
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", Path(__file__).resolve().parent.parent / "instance"))
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-change-me-0123456789"


def normalise_database_url(url: str) -> str:
    """Accept the plain `postgresql://user@host/db` form that managed services hand out.

    SQLAlchemy maps a bare `postgresql://` to psycopg2; we ship psycopg 3.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Values read from the environment at import; tests pass overrides to create_app."""

    DATABASE_URL = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'etimekeeping.db'}")
    )
    STORAGE_DIR = os.environ.get("STORAGE_DIR", str(INSTANCE_DIR / "storage"))
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")  # local | s3
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # for MinIO and other S3-compatible stores
    S3_REGION = os.environ.get("S3_REGION")
    ENV = os.environ.get("ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    ACCESS_TOKEN_MINUTES = int(os.environ.get("ACCESS_TOKEN_MINUTES", "15"))
    REFRESH_TOKEN_HOURS = int(os.environ.get("REFRESH_TOKEN_HOURS", str(7 * 24)))
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "30 per minute")
    CHECKIN_RATE_LIMIT = os.environ.get("CHECKIN_RATE_LIMIT", "12 per 10 minutes; 60 per day")
    LOGIN_MAX_FAILURES_PER_USER = int(os.environ.get("LOGIN_MAX_FAILURES_PER_USER", "5"))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
    LOGIN_LOCK_SECONDS = float(os.environ.get("LOGIN_LOCK_SECONDS", "60"))
    LOGIN_LOCK_MAX_SECONDS = float(os.environ.get("LOGIN_LOCK_MAX_SECONDS", "3600"))
    LOGIN_FAILURE_WINDOW_SECONDS = float(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "3600"))
    REDIS_URL = os.environ.get("REDIS_URL")
    BIOMETRIC_KEYS = os.environ.get("BIOMETRIC_KEYS")
    SELFIE_RETENTION_DAYS = int(os.environ.get("SELFIE_RETENTION_DAYS", "90"))
    CANDIDATE_CACHE_SECONDS = float(os.environ.get("CANDIDATE_CACHE_SECONDS", "30"))
    # With a broker, photo checks of GPS-accepted check-ins run on workers; without, in-process.
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True  # Retry-After tells the app when to try again
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # json: one JSON object per line
    LOG_REQUESTS = os.environ.get("LOG_REQUESTS", "1" if LOG_FORMAT == "json" else "0") == "1"
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN")
    METRICS_ENABLED = os.environ.get("METRICS_ENABLED", "0") == "1"
    PASSWORD_HASH_METHOD = "scrypt"  # tests pass a cheap method; scrypt everywhere else
    MAX_SELFIE_BYTES = int(os.environ.get("MAX_SELFIE_BYTES", str(10 * 1024 * 1024)))
    MAX_SELFIE_PIXELS = int(os.environ.get("MAX_SELFIE_PIXELS", "50000000"))
    # The multipart body holds the selfie plus a few short fields.
    MAX_CONTENT_LENGTH = MAX_SELFIE_BYTES + 64 * 1024
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))
    CORS_ORIGINS = os.environ.get("CORS_ORIGINS", "")
    POLICY_FILE = os.environ.get("POLICY_FILE")  # None: checkin/reports/policy.yaml
    # Without it every request seems to come from the proxy: twenty failed logins by anyone would
    # lock everyone out. Never more than the proxies really there: X-Forwarded-For is forgeable.
    TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))

    # flask-smorest / OpenAPI
    API_TITLE = "e-Timekeeping"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    # Served from the swagger-ui-bundle package: the docs must work on a closed network.
    OPENAPI_SWAGGER_UI_URL = "/docs/assets/"
    JSON_SORT_KEYS = False
