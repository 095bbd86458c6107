"""Lockout with back-off after repeated failed logins, per user name and per address.

The first failures cost nothing; from the threshold on, each failure locks the key for
base x 2^(failures - threshold) seconds, up to a cap, and a locked key is refused without
looking at the password. A quiet `window` forgets the count; a successful login forgets the
user name's. Counted in the database, so every API process sees the same numbers. Addresses
get a higher threshold than user names: a whole office may share one public address.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import current_app

from ..database import db, utcnow
from ..errors import TooManyRequests
from .models import LoginFailures


def lock_seconds(failures: int, threshold: int, base_seconds: float, cap_seconds: float) -> float:
    """How long `failures` consecutive failures lock a key (0 below the threshold)."""
    if failures < threshold:
        return 0.0
    return min(cap_seconds, base_seconds * 2 ** min(failures - threshold, 30))


def _user_key(username: str) -> str:
    return f"user:{username.strip().lower()[:64]}"


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    config = current_app.config
    return [(_user_key(username), config["LOGIN_MAX_FAILURES_PER_USER"]),
            (f"address:{address[:64]}", config["LOGIN_MAX_FAILURES_PER_ADDRESS"])]


def refuse_while_locked(username: str, address: str) -> None:
    """429 LOGIN_LOCKED with Retry-After while the user name or the address is locked: a login, or
    a password change (a stolen token must not guess the password either)."""
    wait = seconds_locked(username, address)
    if wait > 0:
        raise TooManyRequests(f"Too many failed logins: try again in {math.ceil(wait)} seconds.",
                              reason="LOGIN_LOCKED", headers={"Retry-After": str(math.ceil(wait))})


def seconds_locked(username: str, address: str) -> float:
    """The longest lock still running on the user name or the address (0 when free)."""
    now = utcnow()
    waits = [(row.locked_until - now).total_seconds() for key, _ in _keys(username, address)
             if (row := db.session.get(LoginFailures, key)) is not None and row.locked_until is not None]
    return max([0.0, *waits])


def record_failure(username: str, address: str) -> None:
    config, now = current_app.config, utcnow()
    window = timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"])
    for key, threshold in _keys(username, address):
        row = db.session.get(LoginFailures, key, with_for_update=True)
        if row is None:
            row = LoginFailures(key=key, failures=0)
            db.session.add(row)
        elif _forgotten(row.last_failed_at, now, window):
            row.failures = 0
        row.failures += 1
        row.last_failed_at = now
        seconds = lock_seconds(row.failures, threshold, config["LOGIN_LOCK_SECONDS"], config["LOGIN_LOCK_MAX_SECONDS"])
        row.locked_until = now + timedelta(seconds=seconds) if seconds else None
    db.session.flush()


def record_success(username: str) -> None:
    row = db.session.get(LoginFailures, _user_key(username))
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def _forgotten(last_failed_at: datetime, now: datetime, window: timedelta) -> bool:
    return now - last_failed_at > window
