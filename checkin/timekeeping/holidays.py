"""Declared holidays (cabinet, BMA, governor) for everyone or a unit and those below, and the
calendar they make with the national one. Services flush; the caller commits."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from ..accounts.models import User
from ..audit import service as audit
from ..database import db, get_or_404
from ..errors import Conflict
from ..org.models import OrgUnit
from ..org.tree import Units
from .calendar import calendar_days, declared_along
from .models import Holiday

MAX_CALENDAR_DAYS = 366


def declare_holiday(day: date, name_th: str, unit_id: int | None, by: User | None = None) -> Holiday:
    if unit_id is not None:
        get_or_404(OrgUnit, unit_id, "Unit")
    exists = db.session.scalar(select(Holiday.id).where(Holiday.day == day, Holiday.unit_id.is_(None)
                                                       if unit_id is None else Holiday.unit_id == unit_id))
    if exists:
        raise Conflict(f"{day} is already a declared holiday here.", reason="HOLIDAY_EXISTS")
    holiday = Holiday(day=day, name_th=name_th, unit_id=unit_id)
    db.session.add(holiday)
    db.session.flush()
    audit.record("holiday.declared", "holiday", holiday.id, actor_id=audit.actor_id(by), after=_facts(holiday))
    return holiday


def list_holidays() -> list[Holiday]:
    return list(db.session.scalars(select(Holiday).order_by(Holiday.day)))


def withdraw_holiday(holiday_id: int, by: User | None = None) -> None:
    holiday = get_or_404(Holiday, holiday_id, "Holiday")
    audit.record("holiday.withdrawn", "holiday", holiday.id, actor_id=audit.actor_id(by), before=_facts(holiday))
    db.session.delete(holiday)
    db.session.flush()


def _facts(holiday: Holiday) -> dict:
    return {"day": holiday.day, "name_th": holiday.name_th, "unit_id": holiday.unit_id}


def declared_holidays(start: date, end: date) -> dict[int | None, dict[date, str]]:
    """Declared holidays in a range, by unit (None: every unit)."""
    declared: dict[int | None, dict[date, str]] = defaultdict(dict)
    for holiday in db.session.scalars(select(Holiday).where(Holiday.day.between(start, end))):
        declared[holiday.unit_id][holiday.day] = holiday.name_th
    return declared


def unit_calendar(start: date, end: date, unit_id: int | None) -> list[dict]:
    """Working days and holidays from `start`, at most a year; a unit's own and inherited
    declared holidays when `unit_id` is given."""
    end = min(end, start + timedelta(days=MAX_CALENDAR_DAYS))
    chain = Units.load().chain(unit_id) if unit_id is not None else []
    return calendar_days(start, end, declared_along(declared_holidays(start, end), chain))
