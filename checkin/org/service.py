"""Org units and employees. Services flush; the caller commits."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from geofences.models import Site

from ..accounts.models import User
from ..audit import service as audit
from ..database import db, get_or_404
from ..errors import Conflict, InvalidInput
from .models import Employee, OrgUnit
from .scope import require_visible, visible_to


def get_unit(unit_id: int) -> OrgUnit:
    return get_or_404(OrgUnit, unit_id, "Unit")


def list_units() -> list[OrgUnit]:
    return list(db.session.scalars(select(OrgUnit).order_by(OrgUnit.code)))


def create_unit(data: dict, by: User | None = None) -> OrgUnit:
    _ensure_unique(OrgUnit, "code", data["code"])
    unit = OrgUnit(code=data["code"], name_th=data["name_th"])
    db.session.add(unit)
    _set_parent(unit, data.get("parent_id"))
    unit.sites = sites_by_ids(data.get("site_ids", []))
    db.session.flush()
    audit.record("unit.created", "unit", unit.id, actor_id=audit.actor_id(by), after=_unit_facts(unit))
    return unit


def update_unit(unit: OrgUnit, changes: dict, by: User | None = None) -> OrgUnit:
    """Rename, move or give other sites: a move changes whose supervisors see whom, and a unit's
    sites are where its staff may check in, so each change is on the audit trail."""
    before = _unit_facts(unit)
    if "code" in changes and changes["code"] != unit.code:
        _ensure_unique(OrgUnit, "code", changes["code"])
        unit.code = changes["code"]
    if "name_th" in changes:
        unit.name_th = changes["name_th"]
    if "parent_id" in changes:
        _set_parent(unit, changes["parent_id"])
    if "site_ids" in changes:
        unit.sites = sites_by_ids(changes["site_ids"])
    db.session.flush()
    audit.record_changes("unit.updated", "unit", unit.id, actor_id=audit.actor_id(by), before=before,
                         after=_unit_facts(unit))
    return unit


def _unit_facts(unit: OrgUnit) -> dict:
    return {"code": unit.code, "name_th": unit.name_th, "parent_id": unit.parent_id,
            "site_ids": [site.id for site in unit.sites]}



def _set_parent(unit: OrgUnit, parent_id: int | None) -> None:
    if parent_id is None:
        unit.parent = None
        return
    parent = get_unit(parent_id)
    ancestor = parent
    while ancestor is not None:
        if ancestor is unit:
            raise InvalidInput("A unit cannot be placed under itself or one of its sub-units.",
                               errors={"parent_id": ["would create a cycle"]})
        ancestor = ancestor.parent
    unit.parent = parent


def sites_by_ids(site_ids: list[int]) -> list[Site]:
    wanted = set(site_ids)
    sites = list(db.session.scalars(select(Site).where(Site.id.in_(wanted), Site.archived_at.is_(None))))
    missing = wanted - {site.id for site in sites}
    if missing:
        raise InvalidInput("Some sites do not exist or are archived.",
                           errors={"site_ids": [f"unknown site ids: {sorted(missing)}"]})
    return sorted(sites, key=lambda site: site.id)


def get_employee(employee_id: int) -> Employee:
    return get_or_404(Employee, employee_id, "Employee")


def get_visible_employee(viewer: User, employee_id: int) -> Employee:
    employee = get_employee(employee_id)
    require_visible(viewer, employee)
    return employee


def employee_query(viewer: User, unit_id: int | None = None, text: str | None = None) -> Select:
    query = select(Employee).order_by(Employee.code)
    query = query.where(visible_to(viewer, Employee.id, Employee.unit_id))
    if unit_id is not None:
        query = query.where(Employee.unit_id == unit_id)
    if text:
        # autoescape: the text's own % and _ are characters, not LIKE wildcards.
        query = query.where(or_(Employee.code.icontains(text, autoescape=True),
                                Employee.first_name_th.contains(text, autoescape=True),
                                Employee.last_name_th.contains(text, autoescape=True)))
    return query


def create_employee(data: dict, by: User | None = None) -> Employee:
    _ensure_unique(Employee, "code", data["code"])
    employee = Employee(
        code=data["code"], title_th=data.get("title_th"), first_name_th=data["first_name_th"],
        last_name_th=data["last_name_th"], unit=get_unit(data["unit_id"]), position=data.get("position"),
        personnel_type=data.get("personnel_type", "civil_servant"), active=data.get("active", True),
        hired_on=data.get("hired_on"), employment_ended_on=data.get("employment_ended_on"),
        employment_end_reason=data.get("employment_end_reason"),
    )
    _check_service_dates(employee)
    employee.sites = sites_by_ids(data.get("site_ids", []))
    db.session.add(employee)
    db.session.flush()
    audit.record("employee.created", "employee", employee.id, actor_id=audit.actor_id(by),
                 after=_employee_facts(employee))
    return employee


def update_employee(employee: Employee, changes: dict, by: User | None = None) -> Employee:
    """A move to another unit changes the supervisors, the schedule, the holidays and the limits
    that apply: before -> after of every changed field is on the audit trail."""
    before = _employee_facts(employee)
    if "code" in changes and changes["code"] != employee.code:
        _ensure_unique(Employee, "code", changes["code"])
    if "unit_id" in changes:
        employee.unit = get_unit(changes.pop("unit_id"))
    if "site_ids" in changes:
        employee.sites = sites_by_ids(changes.pop("site_ids"))
    for name, value in changes.items():
        setattr(employee, name, value)
    _check_service_dates(employee)
    db.session.flush()
    audit.record_changes("employee.updated", "employee", employee.id, actor_id=audit.actor_id(by), before=before,
                         after=_employee_facts(employee))
    return employee


def _check_service_dates(employee: Employee) -> None:
    """The end of service comes with its reason, and not before the start."""
    if (employee.employment_ended_on is None) != (employee.employment_end_reason is None):
        raise InvalidInput("employment_ended_on and employment_end_reason go together: set both, or clear both.",
                           errors={"employment_end_reason": ["Required with employment_ended_on."]},
                           reason="EMPLOYMENT_END_INCOMPLETE")
    if employee.hired_on and employee.employment_ended_on and employee.employment_ended_on < employee.hired_on:
        raise InvalidInput("employment_ended_on is before hired_on.",
                           errors={"employment_ended_on": ["Must be on or after hired_on."]},
                           reason="EMPLOYMENT_END_BEFORE_START")


def _employee_facts(employee: Employee) -> dict:
    return {"code": employee.code, "title_th": employee.title_th, "first_name_th": employee.first_name_th,
            "last_name_th": employee.last_name_th, "unit_id": employee.unit_id, "position": employee.position,
            "personnel_type": employee.personnel_type, "active": employee.active, "hired_on": employee.hired_on,
            "employment_ended_on": employee.employment_ended_on,
            "employment_end_reason": employee.employment_end_reason,
            "site_ids": [site.id for site in employee.sites]}


def _ensure_unique(model, column: str, value: str) -> None:
    if db.session.scalar(select(model.id).where(getattr(model, column) == value)) is not None:
        raise Conflict(f"{model.__name__} with {column} {value!r} already exists.")
