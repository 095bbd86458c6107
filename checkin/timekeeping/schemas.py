import marshmallow as ma

from ..api import BangkokDateTime, Id, Schema, Upload
from .leave_types import LEAVE_TYPES


class LeaveSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    employee_id = Id(required=True)
    leave_type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(LEAVE_TYPES)))
    start_date = ma.fields.Date(required=True)
    end_date = ma.fields.Date(required=True)
    half_day = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.OneOf(["am", "pm"]))
    source = ma.fields.String(dump_only=True)
    created_at = BangkokDateTime(dump_only=True)


class LeaveQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    employee_id = Id()
    from_ = ma.fields.Date(data_key="from")
    to = ma.fields.Date()


class LeaveTypeSchema(Schema):
    code = ma.fields.String()
    name_th = ma.fields.String()


class CsvUploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "CSV, UTF-8 (a BOM is fine), header line first"})


class ImportResultSchema(Schema):
    created = ma.fields.Integer()
    already_present = ma.fields.Integer()


class HolidaySchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    day = ma.fields.Date(required=True)
    name_th = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))
    unit_id = Id(load_default=None, allow_none=True, metadata={"description": "null: every unit"})


class CalendarQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    from_ = ma.fields.Date(data_key="from", required=True)
    to = ma.fields.Date(required=True)
    unit = Id()


class CalendarDaySchema(Schema):
    date = ma.fields.Date()
    working_day = ma.fields.Boolean()
    holiday_name = ma.fields.String(allow_none=True)


class ScheduleSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String(required=True, validate=ma.validate.Length(1, 32))
    name_th = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))
    start = ma.fields.Time(required=True)
    end = ma.fields.Time(required=True)
    lunch_start = ma.fields.Time(load_default=None)
    lunch_end = ma.fields.Time(load_default=None)


class AssignmentSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    schedule_id = Id(required=True)
    unit_id = Id(load_default=None, allow_none=True)
    employee_id = Id(load_default=None, allow_none=True)
    valid_from = ma.fields.Date(required=True)
    valid_to = ma.fields.Date(load_default=None, allow_none=True)


class OverrideSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    day = ma.fields.Date(required=True)
    unit_id = Id(load_default=None, allow_none=True)
    start = ma.fields.Time(load_default=None, allow_none=True)
    end = ma.fields.Time(load_default=None, allow_none=True)
    note = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))


class ExemptionSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    employee_id = Id(required=True)
    start_date = ma.fields.Date(required=True)
    end_date = ma.fields.Date(required=True)
    note = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))


class AbsenceSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    employee_id = Id(required=True)
    day = ma.fields.Date(required=True)
    note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))
    confirmed_by_id = ma.fields.Integer(dump_only=True)
    confirmed_at = BangkokDateTime(dump_only=True)
