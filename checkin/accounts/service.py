"""Users and passwords. Services flush; the caller commits."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import db, get_or_404
from ..errors import Conflict, InvalidInput
from ..org.models import Employee, OrgUnit
from .models import User
from .roles import ALL_ROLES

MIN_PASSWORD_LENGTH = 8
# Compared against when the username is unknown, so both paths cost one hash check.
_UNKNOWN_USER_HASH = generate_password_hash("unknown-user-placeholder", method="pbkdf2:sha256:1000")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
                           errors={"password": ["too short"]})


def verify_credentials(username: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def create_user(username: str, password: str, role: str, employee_id: int | None = None) -> User:
    if role not in ALL_ROLES:
        raise InvalidInput(f"Unknown role {role!r}.", errors={"role": [f"one of {', '.join(ALL_ROLES)}"]})
    check_password_policy(password)
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"The username {username!r} is taken.")
    user = User(username=username, password_hash=hash_password(password), role=role)
    link_employee(user, employee_id)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, changes: dict) -> User:
    if "password" in changes:
        check_password_policy(changes["password"])
        user.password_hash = hash_password(changes.pop("password"))
    if "employee_id" in changes:
        link_employee(user, changes.pop("employee_id"))
    if "led_unit_ids" in changes:
        user.led_units = [get_or_404(OrgUnit, unit_id, "Unit") for unit_id in sorted(set(changes.pop("led_unit_ids")))]
    for name, value in changes.items():
        setattr(user, name, value)
    db.session.flush()
    return user


def link_employee(user: User, employee_id: int | None) -> None:
    if employee_id is None:
        user.employee = None
        return
    employee = get_or_404(Employee, employee_id, "Employee")
    if employee.user is not None and employee.user is not user:
        raise Conflict(f"Employee {employee.code} already has a user ({employee.user.username}).")
    user.employee = employee


def get_user(user_id: int) -> User:
    return get_or_404(User, user_id, "User")


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.id)))
