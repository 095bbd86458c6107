"""The salary-step policy file in the running app: checked when the app is created (a bad file
stops the start, naming every problem), then kept in memory for every report.

Reports call `policy_in_force(round_.end)`. The cache is keyed on the file's path because tests
(and an operator's `flask` shell) may point POLICY_FILE at another file after the app exists: a
file not seen before is checked in full, unit codes included, when a report first needs it. The
file is read once per path: after editing it, run `flask check-policy` and restart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import inspect, select
from sqlalchemy.exc import DBAPIError

from ..database import db
from ..errors import DomainError, InvalidInput
from .policy import DEFAULT_POLICY_FILE, Policy, PolicyBook, PolicyError, check_unit_codes, load_policies

log = logging.getLogger(__name__)
EXTENSION_KEY = "etk.salary_step_policies"


class PolicyFileInvalid(DomainError):
    """500, with a reason and every problem, not the generic "internal error": the fault is the
    server's (so not 4xx), and retrying will not help until someone fixes the file (so not 503)."""

    status_code = 500


@dataclass(frozen=True)
class _Checked:
    book: PolicyBook
    units_checked: bool  # False while the database has no unit to check the overrides against


def policy_path(app: Flask) -> Path:
    return Path(app.config.get("POLICY_FILE") or DEFAULT_POLICY_FILE).resolve()


def known_unit_codes() -> set[str] | None:
    """The codes of every unit, or None when there is none yet to check against: a fresh install
    must start to import its units, and an unreachable database is for /readyz to report."""
    from ..org.models import OrgUnit

    units = OrgUnit.__table__  # the table, not the mapper: create_app has not imported every model yet
    try:
        # On the session's own connection: a second one would wait for the first's SQLite write lock.
        connection = db.session.connection()
        if not inspect(connection).has_table(units.name):
            return None
        codes = set(connection.scalars(select(units.c.code)))
    except DBAPIError as error:
        log.warning("salary-step policy: unit codes not checked, the database did not answer: %s", error)
        return None
    return codes or None


def check_policy_file(path: str | Path, book: PolicyBook | None = None) -> _Checked:
    """The file's policies, checked in full; unit codes against the database when it has units.
    Raises PolicyError naming every problem. Needs an app context."""
    book = book or load_policies(path)
    known = known_unit_codes()
    if known is not None:
        check_unit_codes(book, known)
    return _Checked(book, known is not None)


def init_app(app: Flask) -> None:
    path = policy_path(app)
    with app.app_context():
        try:
            checked = check_policy_file(path)
        except PolicyError as error:
            raise RuntimeError(f"Refusing to start: the salary-step policy file {path} cannot be used "
                               f"(POLICY_FILE; `flask check-policy --file FILE` checks a file).\n{error}") from None
    if not checked.units_checked and checked.book.unit_codes():
        app.logger.warning("Salary-step policy %s: unit codes of its overrides not checked yet (no units in the "
                           "database); the first report checks them.", path)
    app.extensions[EXTENSION_KEY] = {path: checked}


def current_policies() -> PolicyBook:
    """The policies of the app's policy file, checked; PolicyFileInvalid (500, in the one error
    shape) when the file cannot be used."""
    path = policy_path(current_app)
    cache = current_app.extensions.setdefault(EXTENSION_KEY, {})
    entry = cache.get(path)
    if entry is None or not entry.units_checked:
        try:
            entry = cache[path] = check_policy_file(path, entry.book if entry else None)
        except PolicyError as error:
            cache.pop(path, None)  # the next report reads the file again: a corrected file needs no restart
            log.error("salary-step policy file unusable: %s", error)
            raise PolicyFileInvalid(
                f"The salary-step policy file ({path.name}) cannot be used; an administrator must correct it "
                "(`flask check-policy` lists the problems).", errors={"policy_file": error.problems},
                reason="POLICY_FILE_INVALID") from error
    return entry.book


def policy_in_force(day: date) -> Policy:
    """The policy in force on `day` (a round's last day); 422 when the file has none for it."""
    try:
        return current_policies().in_force_on(day)
    except PolicyError as error:
        raise InvalidInput(f"No salary-step policy is in force on {day.isoformat()}: the policy file has none "
                           "for this round.", errors={"policy_file": error.problems},
                           reason="NO_POLICY_IN_FORCE") from error
