"""Who may see whom: employees see themselves, supervisors the units they lead and every unit
below, HR and admin everyone. A supervisor leads the unit of their own employee record and any
unit an admin assigned to them.

Every listing filters with `visible_to`; every single record is checked with
`require_visible`. Both are called from services: routes only name the roles an endpoint is for.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from ..accounts.models import User
from ..accounts.roles import ADMIN, EMPLOYEE, HR, SUPERVISOR
from ..database import db
from ..errors import Forbidden
from .models import Employee, OrgUnit


def descendant_unit_ids(root_ids: set[int]) -> set[int]:
    """The given units and all below them (one query; the tree is small: hundreds of units)."""
    children: dict[int, list[int]] = {}
    for unit_id, parent_id in db.session.execute(select(OrgUnit.id, OrgUnit.parent_id)):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(unit_id)
    found, stack = set(), list(root_ids)
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, []))
    return found


def visible_unit_ids(user: User) -> set[int] | None:
    """Units whose employees the user may see; None means all."""
    if user.role in (ADMIN, HR):
        return None
    if user.role == SUPERVISOR:
        led = set(user.led_unit_ids)
        if user.employee is not None:
            led.add(user.employee.unit_id)
        return descendant_unit_ids(led)
    return set()


def can_see_employee(user: User, employee: Employee) -> bool:
    if user.employee_id == employee.id:
        return True
    if user.role == EMPLOYEE:
        return False
    units = visible_unit_ids(user)
    return units is None or employee.unit_id in units


def require_visible(user: User, employee: Employee, message: str = "This employee is outside your scope.") -> None:
    if not can_see_employee(user, employee):
        raise Forbidden(message, reason="OUT_OF_SCOPE")


def visible_to(user: User, employee_id: ColumnElement, unit_id: ColumnElement) -> ColumnElement[bool]:
    """The scope filter of every listing: rows of the user's own employee record, or of employees
    in the units they may see. `employee_id` and `unit_id` are the listed rows' columns."""
    units = visible_unit_ids(user)
    if units is None:
        return true()
    own = false() if user.employee_id is None else employee_id == user.employee_id
    return or_(unit_id.in_(units), own) if units else own


def refuse_own_record(user: User | None, employee: Employee, what: str) -> None:
    """HR and admin keep the records that decide pay, but never their own: nobody exempts
    themselves, grants themselves leave, imports their own punches or confirms their own absence."""
    if user is not None and user.employee_id == employee.id:
        raise Forbidden(f"Nobody records {what} for themselves; ask a colleague.", reason="OWN_RECORD")
