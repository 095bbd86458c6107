"""Users and passwords. Services flush; the caller commits."""

from __future__ import annotations

from functools import lru_cache

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit import service as audit
from ..database import db, get_or_404
from ..errors import Conflict, InvalidInput
from ..org.models import Employee, OrgUnit
from . import lockout
from .auth import revoke_tokens
from .models import User
from .roles import ALL_ROLES

MIN_PASSWORD_LENGTH = 10
MIN_DISTINCT_CHARACTERS = 5
# Passwords people pick first; compared case-insensitively (and with trailing digits and
# punctuation dropped) so that "Password123!" is refused too.
COMMON_PASSWORDS = frozenset("""
password passw0rd p@ssw0rd qwerty qwertyuiop asdfghjkl zxcvbnm abc abcdef abcdefgh letmein welcome
admin administrator iloveyou monkey dragon master sunshine princess football baseball superman
trustno1 changeme default secret login user test guest bangkok thailand krungthep bma
""".split())


@lru_cache(maxsize=4)
def _unknown_user_hash(method: str) -> str:
    """Checked when the user name is unknown, with the method real passwords use (scrypt), so a
    wrong password costs the same whether the user exists or not: user names cannot be found by
    timing the answer (and then locked out)."""
    return generate_password_hash("unknown-user-placeholder", method=method)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password_policy(password: str, username: str | None = None) -> None:
    """At least 10 characters, not a common password or the user name, not one repeated pattern."""
    problem = password_problem(password, username)
    if problem is not None:
        raise InvalidInput(f"The password is too weak: {problem}.", errors={"password": [problem]},
                           reason="WEAK_PASSWORD")


def password_problem(password: str, username: str | None) -> str | None:
    lowered = password.lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"it must have at least {MIN_PASSWORD_LENGTH} characters"
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        return f"it must use at least {MIN_DISTINCT_CHARACTERS} different characters"
    if lowered.isdigit():
        return "it must not be only digits"
    if lowered.rstrip("0123456789!@#$%^&*.-_ ") in COMMON_PASSWORDS:
        return "it is one of the most common passwords"
    if username and len(username) >= 3 and username.lower() in lowered:
        return "it must not contain the user name"
    return None


def verify_credentials(username: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_unknown_user_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def create_user(username: str, password: str, role: str, employee_id: int | None = None,
                by: User | None = None, active: bool = True) -> User:
    if role not in ALL_ROLES:
        raise InvalidInput(f"Unknown role {role!r}.", errors={"role": [f"one of {', '.join(ALL_ROLES)}"]})
    check_password_policy(password, username)
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"The username {username!r} is taken.")
    user = User(username=username, password_hash=hash_password(password), role=role, active=active)
    link_employee(user, employee_id)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", "user", user.id, actor_id=audit.actor_id(by), after=_facts(user))
    return user


def update_user(user: User, changes: dict, by: User | None = None) -> User:
    """Apply an admin's changes; a new password, a new role or disabling ends every session. Who
    may do what (role, led units, the employee link, a password reset) is on the audit trail."""
    before, password_reset = _facts(user), "password" in changes
    if "password" in changes:
        check_password_policy(changes["password"], user.username)
        user.password_hash = hash_password(changes.pop("password"))
        revoke_tokens(user)
    if changes.get("active") is False or changes.get("role", user.role) != user.role:
        revoke_tokens(user)
    if "employee_id" in changes:
        link_employee(user, changes.pop("employee_id"))
    if "led_unit_ids" in changes:
        user.led_units = [get_or_404(OrgUnit, unit_id, "Unit") for unit_id in sorted(set(changes.pop("led_unit_ids")))]
    for name, value in changes.items():
        setattr(user, name, value)
    db.session.flush()
    # Never the password or its hash: only that it was set.
    audit.record_changes("user.updated", "user", user.id, actor_id=audit.actor_id(by), before=before,
                         after=_facts(user), also={"password_reset": True} if password_reset else None)
    return user


class WrongPassword(InvalidInput):
    """Its failure is on the lockout's count: the caller commits that before answering."""


def change_own_password(user: User, current: str, new: str, address: str) -> User:
    """A user's own new password. The current one must be given (a token left on a shared phone
    must not be enough), with the lockout of a login: a stolen token cannot guess it either.
    Every token of the account stops working; the caller issues new ones for this session."""
    lockout.refuse_while_locked(user.username, address)
    if not check_password_hash(user.password_hash, current):
        lockout.record_failure(user.username, address)
        raise WrongPassword("The current password is wrong.", errors={"current_password": ["wrong password"]},
                            reason="WRONG_PASSWORD")
    check_password_policy(new, user.username)
    user.password_hash = hash_password(new)
    revoke_tokens(user)
    lockout.record_success(user.username)
    audit.record("user.password_changed", "user", user.id, actor_id=user.id)
    db.session.flush()
    return user


def _facts(user: User) -> dict:
    return {"username": user.username, "role": user.role, "active": user.active, "employee_id": user.employee_id,
            "led_unit_ids": sorted(unit.id for unit in user.led_units)}


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
