import marshmallow as ma

from ..api import BangkokDateTime, Day, Id, Schema
from .personnel import END_REASONS, PERSONNEL_TYPES

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


TITLE = ma.validate.Length(max=50)
PERSONNEL_TYPE = ma.validate.OneOf(list(PERSONNEL_TYPES))
END_REASON = ma.validate.OneOf(list(END_REASONS))
END_DESCRIPTION = ("Last day of service; reports count no day after it. Needs employment_end_reason "
                   f"({' | '.join(END_REASONS)}); both null while in service")


class EmployeeSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String(required=True, validate=CODE)
    title_th = ma.fields.String(allow_none=True, load_default=None, validate=TITLE,
                                metadata={"description": "คำนำหน้า, e.g. นาย, นาง, นางสาว"})
    first_name_th = ma.fields.String(required=True, validate=ma.validate.Length(1, 100))
    last_name_th = ma.fields.String(required=True, validate=ma.validate.Length(1, 100))
    unit_id = Id(required=True)
    position = ma.fields.String(allow_none=True, load_default=None, validate=ma.validate.Length(max=200),
                                metadata={"description": "ตำแหน่ง/ระดับ"})
    personnel_type = ma.fields.String(load_default="civil_servant", validate=PERSONNEL_TYPE,
                                      metadata={"description": " | ".join(PERSONNEL_TYPES)})
    hired_on = Day(allow_none=True, load_default=None,
                   metadata={"description": "Start of service; months of service count from here"})
    employment_ended_on = Day(allow_none=True, load_default=None, metadata={"description": END_DESCRIPTION})
    employment_end_reason = ma.fields.String(allow_none=True, load_default=None, validate=END_REASON)
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
    title_th = ma.fields.String(allow_none=True, validate=TITLE)
    position = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))
    personnel_type = ma.fields.String(validate=PERSONNEL_TYPE)
    hired_on = Day(allow_none=True)
    employment_ended_on = Day(allow_none=True, metadata={"description": END_DESCRIPTION})
    employment_end_reason = ma.fields.String(allow_none=True, validate=END_REASON)
    site_ids = ma.fields.List(Id())
    active = ma.fields.Boolean()


class EmployeeQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    unit_id = Id()
    q = ma.fields.String(metadata={"description": "Part of the code or the Thai name"})
