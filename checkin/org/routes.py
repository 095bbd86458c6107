from flask.views import MethodView

from ..accounts.auth import current_user
from ..accounts.roles import ADMIN, HR, SUPERVISOR
from ..api import Blueprint
from ..database import db
from ..pagination import paginate
from . import service
from .schemas import (EmployeeQuerySchema, EmployeeSchema, EmployeeUpdateSchema, UnitSchema,
                      UnitUpdateSchema)

blp = Blueprint("org", __name__, url_prefix="/api/v1", description="Org units and employees")


@blp.route("/units")
class Units(MethodView):
    @blp.login_required(ADMIN, HR, SUPERVISOR)
    @blp.response(200, UnitSchema(many=True))
    def get(self):
        """List org units (the whole tree, ordered by code)"""
        return service.list_units()

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(UnitSchema)
    @blp.response(201, UnitSchema)
    def post(self, data):
        """Create an org unit"""
        unit = service.create_unit(data, current_user())
        db.session.commit()
        return unit


@blp.route("/units/<int:unit_id>")
class UnitById(MethodView):
    @blp.login_required(ADMIN, HR, SUPERVISOR)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, UnitSchema)
    def get(self, unit_id):
        """Get an org unit"""
        return service.get_unit(unit_id)

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(UnitUpdateSchema)
    @blp.response(200, UnitSchema)
    def patch(self, changes, unit_id):
        """Rename, move or re-assign sites of an org unit"""
        unit = service.update_unit(service.get_unit(unit_id), changes, current_user())
        db.session.commit()
        return unit


@blp.route("/employees")
class Employees(MethodView):
    @blp.login_required(ADMIN, HR, SUPERVISOR)
    @blp.arguments(EmployeeQuerySchema, location="query")
    @blp.response(200, EmployeeSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """List employees (supervisors: their units only)"""
        query = service.employee_query(current_user(), filters.get("unit_id"), filters.get("q"))
        return paginate(query, pagination_parameters)

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(EmployeeSchema)
    @blp.response(201, EmployeeSchema)
    def post(self, data):
        """Create an employee"""
        employee = service.create_employee(data, current_user())
        db.session.commit()
        return employee


@blp.route("/employees/<int:employee_id>")
class EmployeeById(MethodView):
    @blp.login_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, EmployeeSchema)
    def get(self, employee_id):
        """Get an employee (employees: only themselves)"""
        return service.get_visible_employee(current_user(), employee_id)

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(EmployeeUpdateSchema)
    @blp.response(200, EmployeeSchema)
    def patch(self, changes, employee_id):
        """Change an employee's details, unit or sites"""
        employee = service.update_employee(service.get_employee(employee_id), changes, current_user())
        db.session.commit()
        return employee

