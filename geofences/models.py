from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checkin.database import Base, UTCDateTime, utcnow

from .policy import (DEFAULT_FACE_TOLERANCE_INSIDE, DEFAULT_FACE_TOLERANCE_PHOTO, DEFAULT_PHOTO_MAX_DISTANCE_M,
                     DEFAULT_PHOTO_MAX_RADIUS_M, SIGN_ON_DRIFT, SitePolicy)


class EvidencePolicy:
    """The evidence policy columns (geofences.policy) of a site and of each of its versions: the
    decision reads them, so a version keeps them with the fence."""

    photo_max_distance_m: Mapped[float] = mapped_column(Float, default=DEFAULT_PHOTO_MAX_DISTANCE_M,
                                                        server_default=str(DEFAULT_PHOTO_MAX_DISTANCE_M))
    photo_max_radius_m: Mapped[float] = mapped_column(Float, default=DEFAULT_PHOTO_MAX_RADIUS_M,
                                                      server_default=str(DEFAULT_PHOTO_MAX_RADIUS_M))
    face_tolerance_inside: Mapped[float] = mapped_column(Float, default=DEFAULT_FACE_TOLERANCE_INSIDE,
                                                         server_default=str(DEFAULT_FACE_TOLERANCE_INSIDE))
    face_tolerance_photo: Mapped[float] = mapped_column(Float, default=DEFAULT_FACE_TOLERANCE_PHOTO,
                                                        server_default=str(DEFAULT_FACE_TOLERANCE_PHOTO))
    sign_required: Mapped[str] = mapped_column(String(8), default=SIGN_ON_DRIFT, server_default=SIGN_ON_DRIFT)
    display_sign_only: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def policy(self) -> SitePolicy:
        return SitePolicy.of(self)


class Site(EvidencePolicy, Base):
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
    # Raised with every change of the fence; a check-in keeps the version it was decided against.
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class SiteVersion(EvidencePolicy, Base):
    """A site's fence as it was from `valid_from`: the evidence of a check-in shows the fence its
    decision used, not today's (a site moved 20 km must not draw beside "INSIDE, 0 m")."""

    __tablename__ = "site_versions"
    __table_args__ = (UniqueConstraint("site_id", "version", name="uq_site_versions_site_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    version: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    geometry: Mapped[dict] = mapped_column(JSON)
    drift_tolerance_m: Mapped[float] = mapped_column(Float)
    max_accuracy_m: Mapped[float] = mapped_column(Float)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Sign(Base):
    """A QR sign at a site: printed on a poster, or shown rotating on a screen."""

    __tablename__ = "signs"
    __table_args__ = (CheckConstraint("kind IN ('printed', 'display')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    label: Mapped[str | None] = mapped_column(String(255))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    site: Mapped[Site] = relationship()
