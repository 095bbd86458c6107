from datetime import time, timedelta

from flask.views import MethodView
from sqlalchemy import select

from ..accounts.auth import current_user
from ..accounts.roles import ADMIN, EMPLOYEE, HR, SUPERVISOR
from ..api import Blueprint
from ..database import db, get_or_404
from ..errors import Forbidden
from ..org.models import Employee
from ..org.scope import can_see_employee, visible_unit_ids
from ..reports.calendar import holiday_name, is_weekend
from ..reports.service import Units, dates_between, declared_along, declared_holidays
from . import service
from .leave_types import LEAVE_TYPES
from .models import Holiday, Leave, WorkSchedule
from .schemas import (AbsenceSchema, AssignmentSchema, CalendarDaySchema, CalendarQuerySchema, CsvUploadSchema,
                      ExemptionSchema, HolidaySchema, ImportResultSchema, LeaveQuerySchema, LeaveSchema,
                      LeaveTypeSchema, OverrideSchema, ScheduleSchema)

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
        user = current_user()
        statement = select(Leave).join(Employee, Employee.id == Leave.employee_id).order_by(Leave.start_date)
        if user.role == EMPLOYEE:
            statement = statement.where(Leave.employee_id == user.employee_id)
        if "employee_id" in query:
            employee = get_or_404(Employee, query["employee_id"], "Employee")
            if not can_see_employee(user, employee):
                raise Forbidden("This employee is outside your scope.", reason="OUT_OF_SCOPE")
            statement = statement.where(Leave.employee_id == employee.id)
        elif user.role == SUPERVISOR:
            statement = statement.where(Employee.unit_id.in_(visible_unit_ids(user)))
        if "from_" in query:
            statement = statement.where(Leave.end_date >= query["from_"])
        if "to" in query:
            statement = statement.where(Leave.start_date <= query["to"])
        return list(db.session.scalars(statement))

    @blp.login_required(ADMIN, HR)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(LeaveSchema)
    @blp.response(201, LeaveSchema)
    def post(self, data):
        """Record a leave (overlapping leave of the same employee is a conflict)"""
        leave = service.create_leave(get_or_404(Employee, data["employee_id"], "Employee"), data["leave_type"],
                                     data["start_date"], data["end_date"], data["half_day"], current_user().id)
        db.session.commit()
        return leave


@blp.route("/leaves/import")
class LeaveImport(MethodView):
    @blp.login_required(ADMIN, HR)
    @blp.arguments(CsvUploadSchema, location="multipart")
    @blp.response(201, ImportResultSchema)
    def post(self, form):
        """Import leave from CSV: employee_code,leave_type,start_date,end_date,half_day (all or nothing)"""
        created = service.import_leaves(form["file"].read(), current_user().id)
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
    @blp.arguments(CsvUploadSchema, location="multipart")
    @blp.response(200, ImportResultSchema)
    def post(self, form):
        """Import old time-clock punches: employee_code,timestamp,kind,device_id (again: adds nothing)"""
        result = service.import_punches(form["file"].read(), current_user().id)
        db.session.commit()
        return {"created": result.created, "already_present": result.already_present}


@blp.route("/holidays")
class Holidays(MethodView):
    @blp.login_required()
    @blp.response(200, HolidaySchema(many=True))
    def get(self):
        """Declared holidays beyond the national calendar"""
        return list(db.session.scalars(select(Holiday).order_by(Holiday.day)))

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(HolidaySchema)
    @blp.response(201, HolidaySchema)
    def post(self, data):
        """Declare a holiday (cabinet, BMA or governor), for every unit or one unit and those below"""
        holiday = service.declare_holiday(data["day"], data["name_th"], data["unit_id"])
        db.session.commit()
        return holiday


@blp.route("/holidays/<int:holiday_id>")
class HolidayById(MethodView):
    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(204)
    def delete(self, holiday_id):
        """Withdraw a declared holiday"""
        db.session.delete(get_or_404(Holiday, holiday_id, "Holiday"))
        db.session.commit()


@blp.route("/calendar")
class Calendar(MethodView):
    @blp.login_required()
    @blp.arguments(CalendarQuerySchema, location="query")
    @blp.response(200, CalendarDaySchema(many=True))
    def get(self, query):
        """Working days and holidays between two dates (at most a year), for a unit if given"""
        start, end = query["from_"], min(query["to"], query["from_"] + timedelta(days=366))
        chain = Units.load().chain(query["unit"]) if "unit" in query else []
        declared = declared_along(declared_holidays(start, end), chain)
        days = []
        for day in dates_between(start, end):
            name = holiday_name(day, declared)
            days.append({"date": day, "holiday_name": name, "working_day": not is_weekend(day) and name is None})
        return days


@blp.route("/schedules")
class Schedules(MethodView):
    @blp.login_required(ADMIN, HR, SUPERVISOR)
    @blp.response(200, ScheduleSchema(many=True))
    def get(self):
        """Work schedule patterns"""
        return list(db.session.scalars(select(WorkSchedule).order_by(WorkSchedule.code)))

    @blp.login_required(ADMIN)
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(ScheduleSchema)
    @blp.response(201, ScheduleSchema)
    def post(self, data):
        """Create a schedule pattern (e.g. 07:30-15:30 with lunch 12:00-13:00)"""
        data["lunch_start"] = data["lunch_start"] or time(12, 0)
        data["lunch_end"] = data["lunch_end"] or time(13, 0)
        schedule = service.create_schedule(data)
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
        assignment = service.assign_schedule(data)
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
        override = service.override_day(data)
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
        exemption = service.create_exemption(get_or_404(Employee, data["employee_id"], "Employee"),
                                             data["start_date"], data["end_date"], data["note"])
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
        """Confirm that a day without check-in or leave was an absence (ขาดราชการ)"""
        confirmation = service.confirm_absence(current_user(), get_or_404(Employee, data["employee_id"], "Employee"),
                                               data["day"], data["note"])
        db.session.commit()
        return confirmation
