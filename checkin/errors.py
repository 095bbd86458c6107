"""Domain errors that know their HTTP status, and the one handler that renders every error.

Every error body has flask-smorest's shape: `{code, status, message, errors?, reason?}`,
where `reason` is a stable machine code when the client can act on it.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Flask, g, jsonify
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, errors: dict | None = None, reason: str | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.reason = reason
        self.headers = headers or {}


class InvalidInput(DomainError):
    status_code = 422


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Forbidden(DomainError):
    status_code = 403


class Unauthorized(DomainError):
    status_code = 401


class Gone(DomainError):
    status_code = 410


class TooManyRequests(DomainError):
    status_code = 429


class PayloadTooLarge(DomainError):
    status_code = 413


class UnsupportedMediaType(DomainError):
    status_code = 415


class PhotoRejected(DomainError):
    """An uploaded photo that failed safe decoding (verification.images.ImageRejected),
    reported against its form field with the rejection's own status and reason."""

    def __init__(self, rejection, field: str):
        super().__init__(rejection.message, errors={field: [rejection.message]}, reason=rejection.reason)
        self.status_code = rejection.status_code


def error_body(status_code: int, message: str, errors: dict | None = None, reason: str | None = None) -> dict:
    body: dict = {"code": status_code, "status": HTTPStatus(status_code).phrase, "message": message}
    if errors:
        body["errors"] = errors
    if reason:
        body["reason"] = reason
    return body


def http_exception_body(error: HTTPException) -> tuple[dict, dict]:
    """Body and headers for a werkzeug/webargs/flask-limiter HTTP error."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    message = data.get("message") or error.description or HTTPStatus(error.code).phrase
    if error.code == 422 and "message" not in data:
        message = "The request has invalid fields; see errors."
    if error.code == 429:
        message = f"Too many failed attempts; try again later (limit: {error.description})."
    return error_body(error.code, message, errors), data.get("headers", {})


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        body = error_body(error.status_code, error.message, error.errors, error.reason)
        return jsonify(body), error.status_code, error.headers

    @app.errorhandler(IntegrityError)
    def _integrity_error(error: IntegrityError):
        from .database import db

        db.session.rollback()
        log.info("integrity error: %s", error.orig)
        message = "The request conflicts with existing data (a duplicate or a missing reference)."
        return jsonify(error_body(409, message)), 409

    @app.errorhandler(DataError)
    def _data_error(error: DataError):
        # A safety net behind schema validation: a value the database cannot store.
        from .database import db

        db.session.rollback()
        log.warning("data error: %s", error.orig)
        return jsonify(error_body(422, "A value is out of range or cannot be stored.")), 422

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            body, headers = http_exception_body(error)
            return jsonify(body), error.code, headers
        request_id = g.get("request_id", "-")
        log.exception("unhandled error, request id %s", request_id)
        message = f"Internal error. Quote request id {request_id} when reporting it."
        return jsonify(error_body(500, message)), 500
