import marshmallow as ma

from ..api import BangkokDateTime, Day, Id, Schema

CODE = ma.validate.Regexp(r"^[A-Za-z0-9._-]{1,32}$", error="1-32 letters, digits, '.', '_' or '-'")


class UnitSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String(required=True, validate=CODE)
    name_th = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))
    parent_id = Id(allow_none=True, load_default=None)
    site_ids = ma.fields.List(Id(), load_default=list,
                              metadata={"description": "Sites where the unit's staff check in"})
    created_at = BangkokDateTime(dump_only=True)


class UnitUpdateSchema(Schema):
    code = ma.fields.String(validate=CODE)
    name_th = ma.fields.String(validate=ma.validate.Length(1, 255))
    parent_id = Id(allow_none=True)
    site_ids = ma.fields.List(Id())


class UnitRefSchema(Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name_th = ma.fields.String()


class LinkedUserSchema(Schema):
    id = ma.fields.Integer()
    username = ma.fields.String()
    role = ma.fields.String()


class EmployeeSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String(required=True, validate=CODE)
    first_name_th = ma.fields.String(required=True, validate=ma.validate.Length(1, 100))
    last_name_th = ma.fields.String(required=True, validate=ma.validate.Length(1, 100))
    unit_id = Id(required=True)
    position = ma.fields.String(allow_none=True, load_default=None, validate=ma.validate.Length(max=200))
    hired_on = Day(allow_none=True, load_default=None,
                   metadata={"description": "Start of service; months of service count from here"})
    site_ids = ma.fields.List(Id(), load_default=list,
                              metadata={"description": "Own check-in sites; when empty the unit's apply"})
    active = ma.fields.Boolean(load_default=True)
    unit = ma.fields.Nested(UnitRefSchema, dump_only=True)
    user = ma.fields.Nested(LinkedUserSchema, dump_only=True, allow_none=True)
    created_at = BangkokDateTime(dump_only=True)


class EmployeeUpdateSchema(Schema):
    code = ma.fields.String(validate=CODE)
    first_name_th = ma.fields.String(validate=ma.validate.Length(1, 100))
    last_name_th = ma.fields.String(validate=ma.validate.Length(1, 100))
    unit_id = Id()
    position = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))
    hired_on = Day(allow_none=True)
    site_ids = ma.fields.List(Id())
    active = ma.fields.Boolean()


class EmployeeQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    unit_id = Id()
    q = ma.fields.String(metadata={"description": "Part of the code or the Thai name"})
