import marshmallow as ma

from ..api import BangkokDateTime, Day, Id, Schema

FORMATS = ["json", "csv", "xlsx"]


class SalaryStepQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    fiscal_year = ma.fields.Integer(required=True, validate=ma.validate.Range(2500, 2700),
                                    metadata={"description": "Buddhist Era, e.g. 2568"})
    round = ma.fields.Integer(required=True, validate=ma.validate.OneOf([1, 2]))
    unit = Id(metadata={"description": "That unit and the units below it"})
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(FORMATS))


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


class EmployeeRoundSchema(Schema):
    employee_code = ma.fields.String()
    name_th = ma.fields.String()
    unit_code = ma.fields.String()
    unit_name_th = ma.fields.String()
    working_days = ma.fields.Integer()
    days_present = ma.fields.Integer()
    late_count = ma.fields.Integer()
    late_minutes = ma.fields.Integer()
    early_leave_count = ma.fields.Integer()
    leave_occasions = ma.fields.Integer()
    leave_days = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    counted_leave_days = ma.fields.Float()
    excluded_leave_days = ma.fields.Float()
    absent_days = ma.fields.Integer()
    absence_candidates = ma.fields.Integer()
    pending_reviews = ma.fields.Integer()
    missing_checkouts = ma.fields.Integer()
    months_of_service = ma.fields.Float()
    status = ma.fields.String(metadata={"description": "ELIGIBLE | AT_RISK | OVER_LIMIT | NEEDS_REVIEW"})
    status_th = ma.fields.String()
    reasons = ma.fields.List(ma.fields.String())


class PolicyRowSchema(Schema):
    scope = ma.fields.String()
    limit = ma.fields.String()
    value = ma.fields.Float()


class SalaryStepReportSchema(Schema):
    fiscal_year = ma.fields.Integer()
    round = ma.fields.Integer()
    round_name_th = ma.fields.String()
    start_date = ma.fields.Date()
    end_date = ma.fields.Date()
    policy_version = ma.fields.String()
    policy = ma.fields.List(ma.fields.Nested(PolicyRowSchema))
    employees = ma.fields.List(ma.fields.Nested(EmployeeRoundSchema))


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
    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(FORMATS))


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
