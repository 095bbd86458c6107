from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from checkin.database import Base, UTCDateTime, utcnow


class Site(Base):
    """A check-in place: a GeoJSON Polygon or MultiPolygon in WGS 84 [longitude, latitude]."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    geometry: Mapped[dict] = mapped_column(JSON)
    drift_tolerance_m: Mapped[float] = mapped_column(Float)
    max_accuracy_m: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped on every change: the process-wide fence cache is keyed by (id, updated_at).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
