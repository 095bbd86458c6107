"""Who may see whom: employees see themselves, supervisors the units they lead and every unit
below, HR and admin everyone. A supervisor leads the unit of their own employee record and any
unit an admin assigned to them.
"""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..accounts.roles import ADMIN, EMPLOYEE, HR, SUPERVISOR
from ..database import db
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
