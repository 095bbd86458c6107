from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from geofences.models import Site

    from ..accounts.models import User

unit_sites = Table(
    "unit_sites",
    Base.metadata,
    Column("unit_id", ForeignKey("org_units.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)

employee_sites = Table(
    "employee_sites",
    Base.metadata,
    Column("employee_id", ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)


class OrgUnit(Base):
    """A node of the organisation tree (สำนัก, กอง, ฝ่าย, district office...)."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_th: Mapped[str] = mapped_column(String(255))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])
    sites: Mapped[list[Site]] = relationship(secondary=unit_sites, order_by="Site.id")

    @property
    def site_ids(self) -> list[int]:
        return [site.id for site in self.sites]


class Employee(Base):
    __tablename__ = "employees"
    __table_args__ = (
        CheckConstraint("(employment_ended_on IS NULL) = (employment_end_reason IS NULL)", name="end_with_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title_th: Mapped[str | None] = mapped_column(String(50))  # คำนำหน้า: นาย, นาง, นางสาว, ว่าที่ ร.ต. ...
    first_name_th: Mapped[str] = mapped_column(String(100))
    last_name_th: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(200))  # ตำแหน่ง/ระดับ
    personnel_type: Mapped[str] = mapped_column(String(24), default="civil_servant", server_default="civil_servant")
    hired_on: Mapped[date | None] = mapped_column(Date)  # months of service count from here
    # The last day of service: reports count the days up to it, never after; `active` only says
    # whether the person may sign in and check in.
    employment_ended_on: Mapped[date | None] = mapped_column(Date)
    employment_end_reason: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[OrgUnit] = relationship()
    sites: Mapped[list[Site]] = relationship(secondary=employee_sites, order_by="Site.id")
    user: Mapped[User | None] = relationship(back_populates="employee")

    @property
    def site_ids(self) -> list[int]:
        return [site.id for site in self.sites]
