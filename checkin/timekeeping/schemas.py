import marshmallow as ma

from ..api import BangkokDateTime, Day, Id, Schema, Upload
from .clock_files import CSV_WITH_KIND, CSV_WITHOUT_KIND, ZKTECO_ATTLOG
from .first_and_last import REPEAT_WINDOW
from .leave_types import LEAVE_TYPES


class WallTime(ma.fields.Time):
    """A time of day on Bangkok's clock, without an offset: "07:30" or "07:30:00"."""

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        if result.tzinfo is not None:  # compared with naive times later: a TypeError, a 500
            raise ma.ValidationError("Give a local time without an offset, e.g. 07:30.")
        return result


class LeaveSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    employee_id = Id(required=True)
    leave_type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(LEAVE_TYPES)))
    start_date = Day(required=True)
    end_date = Day(required=True)
    half_day = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.OneOf(["am", "pm"]))
    source = ma.fields.String(dump_only=True)
    created_at = BangkokDateTime(dump_only=True)


class LeaveQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    employee_id = Id()
    from_ = Day(data_key="from")
    to = Day()


class LeaveTypeSchema(Schema):
    code = ma.fields.String()
    name_th = ma.fields.String()


class CsvUploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "CSV, UTF-8 (a BOM is fine), header line first"})


class ClockFileUploadSchema(Schema):
    file = Upload(required=True, metadata={"description": (
        "A time-clock file, its format told from the content: CSV (UTF-8, a BOM is fine) with the header "
        "employee_code,timestamp[,kind][,device_id], or the ZKTeco attendance log (attlog.dat) as the clock "
        "writes it. Times: ISO 8601 with or without an offset (without: Bangkok time) or dd/mm/yyyy HH:MM[:SS] "
        "with a Buddhist-Era or Christian year.")})


class ImportResultSchema(Schema):
    created = ma.fields.Integer()
    already_present = ma.fields.Integer()


class PunchImportResultSchema(ImportResultSchema):
    ignored = ma.fields.Integer(metadata={"description": (
        "Punches not stored: in a file without in/out a day keeps only its first punch (the arrival) and its "
        f"last (the departure, unless within {REPEAT_WINDOW.seconds // 60} minutes of the first)")})
    format = ma.fields.String(validate=ma.validate.OneOf([CSV_WITH_KIND, CSV_WITHOUT_KIND, ZKTECO_ATTLOG]),
                              metadata={"description": "What the file was read as"})


class HolidaySchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    day = Day(required=True)
    name_th = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))
    unit_id = Id(load_default=None, allow_none=True, metadata={"description": "null: every unit"})


class CalendarQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    from_ = Day(data_key="from", required=True)
    to = Day(required=True)
    unit = Id()


class CalendarDaySchema(Schema):
    date = ma.fields.Date()
    working_day = ma.fields.Boolean()
    holiday_name = ma.fields.String(allow_none=True)


class ScheduleSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String(required=True, validate=ma.validate.Length(1, 32))
    name_th = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))
    start = WallTime(required=True)
    end = WallTime(required=True)
    lunch_start = WallTime(load_default=None)
    lunch_end = WallTime(load_default=None)


class AssignmentSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    schedule_id = Id(required=True)
    unit_id = Id(load_default=None, allow_none=True)
    employee_id = Id(load_default=None, allow_none=True)
    valid_from = Day(required=True)
    valid_to = Day(load_default=None, allow_none=True)


class OverrideSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    day = Day(required=True)
    unit_id = Id(load_default=None, allow_none=True)
    start = WallTime(load_default=None, allow_none=True)
    end = WallTime(load_default=None, allow_none=True)
    note = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))


class ExemptionSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    employee_id = Id(required=True)
    start_date = Day(required=True)
    end_date = Day(required=True)
    note = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))


class AbsenceSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    employee_id = Id(required=True)
    day = Day(required=True)
    note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))
    confirmed_by_id = ma.fields.Integer(dump_only=True)
    confirmed_at = BangkokDateTime(dump_only=True)
