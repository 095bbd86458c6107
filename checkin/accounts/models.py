from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base, UTCDateTime, utcnow
from .roles import ALL_ROLES

if TYPE_CHECKING:
    from ..org.models import Employee, OrgUnit


# Units a supervisor leads beyond their own (an admin assigns them).
supervisor_units = Table(
    "supervisor_units",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("org_units.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ALL_ROLES!r}", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Every token carries the generation it was issued in; logging out, a new password or
    # disabling the account moves it on, and every token issued before stops working.
    token_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    employee: Mapped[Employee | None] = relationship(back_populates="user")
    led_units: Mapped[list[OrgUnit]] = relationship(secondary=supervisor_units, order_by="OrgUnit.id")

    @property
    def led_unit_ids(self) -> list[int]:
        return [unit.id for unit in self.led_units]


class LoginFailures(Base):
    """Failed logins counted per user name and per address (see accounts/lockout.py)."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
