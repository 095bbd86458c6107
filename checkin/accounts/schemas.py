import marshmallow as ma

from ..api import BangkokDateTime, Id, Schema
from .roles import ALL_ROLES


class TokenRequestSchema(Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(1, 64))
    password = ma.fields.String(required=True, validate=ma.validate.Length(1, 256), load_only=True)


class UserSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    username = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[A-Za-z0-9._@-]{3,64}$"))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(1, 256))
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ALL_ROLES))
    employee_id = Id(allow_none=True, load_default=None)
    active = ma.fields.Boolean(load_default=True)
    led_unit_ids = ma.fields.List(ma.fields.Integer(), dump_only=True,
                                  metadata={"description": "Units a supervisor leads besides their own"})
    created_at = BangkokDateTime(dump_only=True)


class UserUpdateSchema(Schema):
    password = ma.fields.String(load_only=True, validate=ma.validate.Length(1, 256))
    role = ma.fields.String(validate=ma.validate.OneOf(ALL_ROLES))
    employee_id = Id(allow_none=True)
    active = ma.fields.Boolean()
    led_unit_ids = ma.fields.List(Id(), metadata={
        "description": "Units a supervisor leads besides their own (with every unit below them)"})


class PasswordChangeSchema(Schema):
    current_password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(1, 256))
    new_password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(1, 256))


class TokenUserSchema(Schema):
    id = ma.fields.Integer()
    username = ma.fields.String()
    role = ma.fields.String()
    employee_id = ma.fields.Integer(allow_none=True)


class TokenSchema(Schema):
    access_token = ma.fields.String()
    token_type = ma.fields.String()
    expires_in = ma.fields.Integer(metadata={"description": "Seconds until the access token expires"})
    refresh_token = ma.fields.String(metadata={
        "description": "Send it as the bearer token to /auth/refresh (which answers a new one too)"})
    refresh_expires_in = ma.fields.Integer(metadata={"description": "Seconds until the refresh token expires"})
    user = ma.fields.Nested(TokenUserSchema)
