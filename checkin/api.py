"""The project's flask-smorest base classes: every domain imports Api, Blueprint and Schema
from here, so error bodies, multipart parsing and auth documentation are the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import wraps

import marshmallow as ma
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.error_handler import ErrorSchema as SmorestErrorSchema
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.routing import IntegerConverter

from .errors import http_exception_body
from .timezones import BANGKOK


# Ids are 32-bit in the database: a larger number is refused here, not by a driver error.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: a positive 32-bit id, else the route does not match (404)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


def Id(**kwargs) -> ma.fields.Integer:  # noqa: N802 - reads as a field type in schemas
    return ma.fields.Integer(validate=ma.validate.Range(1, MAX_ID), **kwargs)


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_contains_nul(item) for item in value)
    return False


class Schema(ma.Schema):
    """Unknown fields are an error: a typo in a field name must not pass silently."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def refuse_nul_characters(self, data, **_kwargs):
        # PostgreSQL cannot store NUL in text; refuse it on every backend alike.
        if _contains_nul(data):
            raise ma.ValidationError("Text must not contain NUL (0x00) characters.")
        return data


class Upload(ma.fields.Raw):
    """A file part of a multipart form (documented as binary); a plain text value is refused."""

    def __init__(self, **kwargs):
        kwargs["metadata"] = {"type": "string", "format": "binary", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not hasattr(value, "stream"):
            raise ma.ValidationError(f"{attr} must be an uploaded file.")
        return value


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

    def init_app(self, app, *args, **kwargs):
        app.url_map.converters["int"] = IdConverter
        super().init_app(app, *args, **kwargs)
        self.register_converter(IdConverter, lambda _converter: {
            "type": "integer", "minimum": 1, "maximum": MAX_ID})

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
