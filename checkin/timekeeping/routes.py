from datetime import time

from flask.views import MethodView

from ..accounts.auth import current_user
from ..accounts.roles import ADMIN, HR, SUPERVISOR
from ..api import Blueprint
from ..database import db
from ..org.service import get_employee
from . import holidays, leave, punches, service
from .leave_types import LEAVE_TYPES
from .schemas import (AbsenceSchema, AssignmentSchema, CalendarDaySchema, CalendarQuerySchema,
                      ClockFileUploadSchema, CsvUploadSchema, ExemptionSchema, HolidaySchema, ImportResultSchema,
                      LeaveQuerySchema, LeaveSchema, LeaveTypeSchema, OverrideSchema, PunchImportResultSchema,
                      ScheduleSchema)

blp = Blueprint("timekeeping", __name__, url_prefix="/api/v1",
                description="What attendance is measured against: leave, holidays, schedules, punches")


@blp.route("/leaves")
class Leaves(MethodView):
    @blp.login_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.arguments(LeaveQuerySchema, location="query")
    @blp.response(200, LeaveSchema(many=True))
    def get(self, query):
        """Leave records (employees: their own; supervisors: their units)"""
        return leave.list_leaves(current_user(), query)

    @blp.login_required(ADMIN, HR)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(LeaveSchema)
    @blp.response(201, LeaveSchema)
    def post(self, data):
        """Record a leave (overlapping leave of the same employee is a conflict)"""
        created = leave.create_leave(get_employee(data["employee_id"]), data["leave_type"], data["start_date"],
                                     data["end_date"], data["half_day"], current_user())
        db.session.commit()
        return created


@blp.route("/leaves/import")
class LeaveImport(MethodView):
    @blp.login_required(ADMIN, HR)
    @blp.arguments(CsvUploadSchema, location="multipart")
    @blp.response(201, ImportResultSchema)
    def post(self, form):
        """Import leave from CSV: employee_code,leave_type,start_date,end_date,half_day (all or nothing)"""
        created = leave.import_leaves(form["file"].read(), current_user())
        db.session.commit()
        return {"created": created, "already_present": 0}


@blp.route("/leave-types")
class LeaveTypes(MethodView):
    @blp.login_required()
    @blp.response(200, LeaveTypeSchema(many=True))
    def get(self):
        """Leave types of the 2555 regulation, with their Thai names"""
        return [{"code": code, "name_th": name} for code, name in LEAVE_TYPES.items()]


@blp.route("/punches/import")
class PunchImport(MethodView):
    @blp.login_required(ADMIN, HR)
    @blp.arguments(ClockFileUploadSchema, location="multipart")
    @blp.response(200, PunchImportResultSchema)
    def post(self, form):
        """Import time-clock punches: CSV with or without in/out, or ZKTeco's attlog.dat (again: adds nothing)"""
        result = punches.import_punches(form["file"].read(), current_user())
        db.session.commit()
        return result


@blp.route("/holidays")
class Holidays(MethodView):
    @blp.login_required()
    @blp.response(200, HolidaySchema(many=True))
    def get(self):
        """Declared holidays beyond the national calendar"""
        return holidays.list_holidays()

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(HolidaySchema)
    @blp.response(201, HolidaySchema)
    def post(self, data):
        """Declare a holiday (cabinet, BMA or governor), for every unit or one unit and those below"""
        holiday = holidays.declare_holiday(data["day"], data["name_th"], data["unit_id"], current_user())
        db.session.commit()
        return holiday


@blp.route("/holidays/<int:holiday_id>")
class HolidayById(MethodView):
    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(204)
    def delete(self, holiday_id):
        """Withdraw a declared holiday"""
        holidays.withdraw_holiday(holiday_id, current_user())
        db.session.commit()


@blp.route("/calendar")
class Calendar(MethodView):
    @blp.login_required()
    @blp.arguments(CalendarQuerySchema, location="query")
    @blp.response(200, CalendarDaySchema(many=True))
    def get(self, query):
        """Working days and holidays between two dates (at most a year), for a unit if given"""
        return holidays.unit_calendar(query["from_"], query["to"], query.get("unit"))


@blp.route("/schedules")
class Schedules(MethodView):
    @blp.login_required(ADMIN, HR, SUPERVISOR)
    @blp.response(200, ScheduleSchema(many=True))
    def get(self):
        """Work schedule patterns"""
        return service.list_schedules()

    @blp.login_required(ADMIN)
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(ScheduleSchema)
    @blp.response(201, ScheduleSchema)
    def post(self, data):
        """Create a schedule pattern (e.g. 07:30-15:30 with lunch 12:00-13:00)"""
        data["lunch_start"] = data["lunch_start"] or time(12, 0)
        data["lunch_end"] = data["lunch_end"] or time(13, 0)
        schedule = service.create_schedule(data, current_user())
        db.session.commit()
        return schedule


@blp.route("/schedules/assignments")
class ScheduleAssignments(MethodView):
    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.arguments(AssignmentSchema)
    @blp.response(201, AssignmentSchema)
    def post(self, data):
        """Give a unit (and the units below) or one employee a schedule, from a date"""
        assignment = service.assign_schedule(data, current_user())
        db.session.commit()
        return assignment


@blp.route("/schedules/overrides")
class ScheduleOverrides(MethodView):
    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.arguments(OverrideSchema)
    @blp.response(201, OverrideSchema)
    def post(self, data):
        """Other hours on one date (e.g. a declared late start), for all or one unit"""
        override = service.override_day(data, current_user())
        db.session.commit()
        return override


@blp.route("/exemptions")
class Exemptions(MethodView):
    @blp.login_required(ADMIN, HR)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.arguments(ExemptionSchema)
    @blp.response(201, ExemptionSchema)
    def post(self, data):
        """Approved field work: the days count as present without a check-in"""
        exemption = service.create_exemption(get_employee(data["employee_id"]), data["start_date"], data["end_date"],
                                             data["note"], current_user())
        db.session.commit()
        return exemption


@blp.route("/absences")
class Absences(MethodView):
    @blp.login_required(SUPERVISOR, ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(AbsenceSchema)
    @blp.response(201, AbsenceSchema)
    def post(self, data):
        """Confirm that a past working day without check-in or leave was an absence (ขาดราชการ)"""
        confirmation = service.confirm_absence(current_user(), get_employee(data["employee_id"]), data["day"],
                                               data["note"])
        db.session.commit()
        return confirmation
