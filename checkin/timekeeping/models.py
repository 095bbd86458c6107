"""What attendance is measured against: schedules, holidays, leave, exemptions, confirmed absences."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base, UTCDateTime, utcnow



class WorkSchedule(Base):
    __tablename__ = "work_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_th: Mapped[str] = mapped_column(String(255))
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    lunch_start: Mapped[time] = mapped_column(Time)
    lunch_end: Mapped[time] = mapped_column(Time)


class ScheduleAssignment(Base):
    """A schedule for a unit (and the units below it) or for one employee, over dates."""

    __tablename__ = "schedule_assignments"
    __table_args__ = (CheckConstraint("(unit_id IS NULL) != (employee_id IS NULL)", name="target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("work_schedules.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class ScheduleOverride(Base):
    """One date with other hours (e.g. a declared late start), for everyone or for a unit."""

    __tablename__ = "schedule_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    start: Mapped[time | None] = mapped_column(Time)
    end: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(255))


class Exemption(Base):
    """Approved days away from any check-in point (field work): counted present."""

    __tablename__ = "exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(255))


class Holiday(Base):
    """A declared holiday beyond the national calendar (cabinet, BMA, governor), for all or a unit."""

    __tablename__ = "holidays"
    # AUTOINCREMENT: SQLite would give a withdrawn holiday's id to the next one (ids in old
    # audit records and links would then name another day).
    __table_args__ = (UniqueConstraint("day", "unit_id", name="uq_holidays_day_unit"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    name_th: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Leave(Base):
    __tablename__ = "leaves"
    __table_args__ = (
        CheckConstraint("half_day IN ('am', 'pm') OR half_day IS NULL", name="half_day"),
        CheckConstraint("end_date >= start_date", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    leave_type: Mapped[str] = mapped_column(String(24))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    half_day: Mapped[str | None] = mapped_column(String(2))
    source: Mapped[str] = mapped_column(String(8))  # api | csv
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AbsenceConfirmation(Base):
    """A supervisor's confirmation that a day without check-in or leave was an absence (ขาดราชการ)."""

    __tablename__ = "absence_confirmations"
    __table_args__ = (UniqueConstraint("employee_id", "day", name="uq_absence_confirmations_employee_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    day: Mapped[date] = mapped_column(Date)
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(String(500))
