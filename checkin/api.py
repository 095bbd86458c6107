"""The project's flask-smorest base classes: every domain imports Api, Blueprint and Schema
from here, so error bodies, multipart parsing and auth documentation are the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import wraps

import marshmallow as ma
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.error_handler import ErrorSchema as SmorestErrorSchema
from webargs.flaskparser import FlaskParser, abort
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.routing import IntegerConverter

from .errors import http_exception_body
from .timezones import BANGKOK, EARLIEST_DAY, LATEST_DAY


# Ids are 32-bit in the database: a larger number is refused here, not by a driver error.
MAX_ID = 2**31 - 1

# The documented body of a file download (a view that returns a flask Response).
BINARY = {"type": "string", "format": "binary"}


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: a positive 32-bit id, else the route does not match (404)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


def Id(**kwargs) -> ma.fields.Integer:  # noqa: N802 - reads as a field type in schemas
    return ma.fields.Integer(validate=ma.validate.Range(1, MAX_ID), **kwargs)


def _within_calendar(value: date | datetime) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ma.ValidationError(f"Must be between {EARLIEST_DAY} and {LATEST_DAY}.")


def Day(**kwargs) -> ma.fields.Date:  # noqa: N802
    """A calendar date in the accepted range."""
    return ma.fields.Date(validate=_within_calendar, **kwargs)


def Instant(**kwargs) -> ma.fields.AwareDateTime:  # noqa: N802
    """An ISO 8601 time with an offset, on a date in the accepted range."""
    return ma.fields.AwareDateTime(validate=_within_calendar, **kwargs)


def _contains_nul(value) -> bool:
    # A loop, not recursion: a JSON body nested a few hundred levels deep is a 422, not a 500.
    pending = [value]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, Mapping):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list | tuple):
            pending.extend(value)
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

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError as error:  # nested deeper than the decoder goes: not a 500
            self._handle_invalid_json_error(error, req)

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        # webargs' own abort carries werkzeug's generic "The browser (or proxy) sent..." text.
        abort(400, exc=error, message="The request body is not valid JSON (UTF-8).",
              messages={"json": ["Invalid JSON body."]})


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

    def arguments(self, schema, *, location="json", **kwargs):
        """As flask-smorest's, and a JSON body documents the 400 its parser gives to a body that is
        not JSON at all (a body that is JSON but invalid is the usual 422)."""
        decorator = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return decorator

        def with_bad_request(func):
            return self.alt_response(400, response="BAD_REQUEST")(decorator(func))

        return with_bad_request

    def paginate(self, *args, **kwargs):
        """As flask-smorest's, with `page` at most MAX_ID: its offset then fits the databases'
        64-bit integers (a larger page was a 500 from the driver)."""
        decorator = super().paginate(*args, **kwargs)

        def bounded(func):
            wrapper = decorator(func)
            # smorest builds a new parameters schema class per call: this changes no other route.
            page = wrapper._apidoc["pagination"]["parameters"]["schema"]._declared_fields["page"]
            page.validators = [*page.validators, ma.validate.Range(max=MAX_ID)]
            return wrapper

        return bounded

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
