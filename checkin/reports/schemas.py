import marshmallow as ma

from ..api import BangkokDateTime, Day, Id, Schema

FORMATS = ["json", "csv", "xlsx"]
SALARY_STEP_FORMATS = [*FORMATS, "pdf"]
AS_OF = {"description": "Nothing after this day counts (default: today, or the round's end once it is past); "
                        "not after today"}


class SalaryStepQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    fiscal_year = ma.fields.Integer(required=True, validate=ma.validate.Range(2500, 2700),
                                    metadata={"description": "Buddhist Era, e.g. 2568"})
    round = ma.fields.Integer(required=True, validate=ma.validate.OneOf([1, 2]))
    unit = Id(metadata={"description": "That unit and the units below it"})
    as_of = Day(metadata=AS_OF)
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(SALARY_STEP_FORMATS))


class AttendanceQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    from_ = Day(data_key="from", required=True)
    to = Day(required=True)
    unit = Id()
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(FORMATS))

    @ma.validates_schema
    def validate_range(self, data, **_kwargs):
        if "from_" in data and "to" in data and not 0 <= (data["to"] - data["from_"]).days <= 186:
            raise ma.ValidationError("to must be on or after from, at most 186 days later.", "to")


class UsageQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    fiscal_year = ma.fields.Integer(required=True, validate=ma.validate.Range(2500, 2700))


class LeaveCountSchema(Schema):
    occasions = ma.fields.Integer()
    days = ma.fields.Float(metadata={"description": "In the unit of its leave type"})


class EmployeeRoundSchema(Schema):
    seq = ma.fields.Integer()
    employee_code = ma.fields.String()
    title_th = ma.fields.String(allow_none=True)
    name_th = ma.fields.String()
    position = ma.fields.String(allow_none=True)
    personnel_type = ma.fields.String()
    personnel_type_th = ma.fields.String()
    unit_code = ma.fields.String()
    unit_name_th = ma.fields.String()
    hired_on = ma.fields.Date(allow_none=True)
    employment_ended_on = ma.fields.Date(allow_none=True)
    employment_end_reason = ma.fields.String(allow_none=True)
    employment_end_reason_th = ma.fields.String(allow_none=True)
    service_months = ma.fields.Integer()
    service_days = ma.fields.Integer()
    service_th = ma.fields.String(metadata={"description": "e.g. 3 เดือน 29 วัน"})
    working_days = ma.fields.Integer()
    days_present = ma.fields.Integer()
    sick_occasions = ma.fields.Integer()
    sick_days = ma.fields.Float()
    personal_occasions = ma.fields.Integer()
    personal_days = ma.fields.Float()
    counted_leave_occasions = ma.fields.Integer()
    counted_leave_days = ma.fields.Float()
    late_count = ma.fields.Integer()
    late_minutes = ma.fields.Integer()
    early_leave_count = ma.fields.Integer()
    absent_days = ma.fields.Integer()
    absence_candidates = ma.fields.Integer()
    missing_checkouts = ma.fields.Integer()
    missing_checkins = ma.fields.Integer()
    pending_reviews = ma.fields.Integer()
    leave = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(LeaveCountSchema))
    not_counted_leave_days = ma.fields.Float()
    limits = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Raw())
    limits_th = ma.fields.String()
    status = ma.fields.String(metadata={"description": "ELIGIBLE | AT_RISK | NOT_ELIGIBLE | NEEDS_REVIEW"})
    status_th = ma.fields.String()
    reasons = ma.fields.List(ma.fields.String())
    remarks_th = ma.fields.String()


class PolicyRowSchema(Schema):
    scope = ma.fields.String()
    scope_th = ma.fields.String()
    limit = ma.fields.String()
    limit_th = ma.fields.String()
    value = ma.fields.Raw()


class ReportLeaveTypeSchema(Schema):
    code = ma.fields.String()
    name_th = ma.fields.String()
    unit = ma.fields.String(metadata={"description": "working_days | calendar_days"})
    unit_th = ma.fields.String()
    counted = ma.fields.Boolean(metadata={"description": "Counts toward the leave-day and occasion limits"})


class UnitTotalSchema(Schema):
    unit_code = ma.fields.String()
    unit_name_th = ma.fields.String()
    parent_code = ma.fields.String(allow_none=True)
    depth = ma.fields.Integer()
    employees = ma.fields.Integer()
    ELIGIBLE = ma.fields.Integer()
    AT_RISK = ma.fields.Integer()
    NOT_ELIGIBLE = ma.fields.Integer()
    NEEDS_REVIEW = ma.fields.Integer()


class DetailSchema(Schema):
    employee_code = ma.fields.String()
    name_th = ma.fields.String()
    unit_code = ma.fields.String()
    date = ma.fields.Date()
    kind = ma.fields.String(metadata={"description": "late | absent | absence_candidate | missing_checkout | "
                                                     "missing_checkin | pending_review"})
    kind_th = ma.fields.String()
    first_in = BangkokDateTime(allow_none=True)
    last_out = BangkokDateTime(allow_none=True)
    late_minutes = ma.fields.Integer()


class SalaryStepReportSchema(Schema):
    fiscal_year = ma.fields.Integer()
    round = ma.fields.Integer()
    round_name_th = ma.fields.String()
    start_date = ma.fields.Date()
    end_date = ma.fields.Date()
    as_of = ma.fields.Date()
    as_of_th = ma.fields.String()
    printed_at = BangkokDateTime()
    notice_th = ma.fields.String()
    policy_version = ma.fields.String()
    policy = ma.fields.List(ma.fields.Nested(PolicyRowSchema))
    leave_types = ma.fields.List(ma.fields.Nested(ReportLeaveTypeSchema))
    units = ma.fields.List(ma.fields.Nested(UnitTotalSchema))
    employees = ma.fields.List(ma.fields.Nested(EmployeeRoundSchema))
    details = ma.fields.List(ma.fields.Nested(DetailSchema))


class AttendanceDaySchema(Schema):
    employee_code = ma.fields.String()
    name_th = ma.fields.String()
    unit_code = ma.fields.String()
    date = ma.fields.Date()
    status = ma.fields.String()
    status_th = ma.fields.String()
    working_day = ma.fields.Boolean()
    first_in = ma.fields.DateTime(allow_none=True)
    last_out = ma.fields.DateTime(allow_none=True)
    late_minutes = ma.fields.Integer()
    early_leave_minutes = ma.fields.Integer()
    leave_type = ma.fields.String(allow_none=True)
    leave_days = ma.fields.Float()
    pending_reviews = ma.fields.Integer()


class UsageMonthSchema(Schema):
    month = ma.fields.String()
    month_th = ma.fields.String()
    active_employees = ma.fields.Integer()
    checkins = ma.fields.Integer()
    accepted_by_gps = ma.fields.Float()
    accepted_by_photo = ma.fields.Float()
    flagged = ma.fields.Float()
    median_review_minutes = ma.fields.Float(allow_none=True)


class UsageReportSchema(Schema):
    fiscal_year = ma.fields.Integer()
    months = ma.fields.List(ma.fields.Nested(UsageMonthSchema))
    months_in_use = ma.fields.Integer()
    salary_step_reports_produced = ma.fields.Integer()
    indicator_met = ma.fields.Boolean()


class ReportJobRequestSchema(Schema):
    kind = ma.fields.String(load_default="salary-step", validate=ma.validate.OneOf(["salary-step"]))
    fiscal_year = ma.fields.Integer(required=True, validate=ma.validate.Range(2500, 2700))
    round = ma.fields.Integer(required=True, validate=ma.validate.OneOf([1, 2]))
    unit = Id(load_default=None, allow_none=True)
    as_of = Day(load_default=None, allow_none=True, metadata=AS_OF)
    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(SALARY_STEP_FORMATS))


class ReportJobSchema(Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    params = ma.fields.Dict()
    format = ma.fields.String()
    status = ma.fields.String(metadata={"description": "queued | running | done | failed"})
    created_at = BangkokDateTime()
    finished_at = BangkokDateTime(allow_none=True)
    error = ma.fields.String(allow_none=True)
    status_url = ma.fields.String()
    download_url = ma.fields.String(allow_none=True, metadata={"description": "set when done"})
