"""The project's flask-smorest base classes: every domain imports Api, Blueprint and Schema
from here, so error bodies, multipart parsing and auth documentation are the same everywhere.
"""

from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.error_handler import ErrorSchema as SmorestErrorSchema
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from .errors import http_exception_body
from .timezones import BANGKOK


class Schema(ma.Schema):
    """Unknown fields are an error: a typo in a field name must not pass silently."""

    class Meta:
        unknown = ma.RAISE


class BangkokDateTime(ma.fields.AwareDateTime):
    """Serialises in Asia/Bangkok (UTC+7 all year, no daylight saving since 1920), the zone
    every person using the product reads times in; parses any ISO 8601 time with an offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.astimezone(BANGKOK).isoformat()


class ErrorSchema(SmorestErrorSchema):
    reason = ma.fields.String(metadata={"description": "Stable machine code, when there is one"})


class ArgumentsParser(FlaskParser):
    """Adds a `multipart` location: form fields and files validated by one schema."""

    __location_map__ = dict(multipart="load_multipart", **FlaskParser.__location_map__)

    def load_multipart(self, req, schema):
        return MultiDictProxy(CombinedMultiDict([req.form, req.files]), schema)


class Api(SmorestApi):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        body, headers = http_exception_body(error)
        return body, error.code, headers


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = ArgumentsParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **SmorestBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }

    def login_required(self, *roles: str):
        """Require a valid bearer token, and one of `roles` when given.

        Put it right under `@blp.route` so that authentication runs before argument parsing
        (an anonymous caller gets 401, not a validation error).
        """
        from .accounts.auth import authenticate_request

        def decorator(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                authenticate_request(roles)
                return func(*args, **kwargs)

            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            wrapper = self.alt_response(403, response="FORBIDDEN")(wrapper)
            return self.doc(security=[{"bearerAuth": []}])(wrapper)

        return decorator
