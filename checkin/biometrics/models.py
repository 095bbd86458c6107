from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base, UTCDateTime, utcnow
from .sealed import SealedBytes


class FaceEnrollment(Base):
    """One enrolled face of an employee: biometric data under PDPA section 26.

    Stored only with the employee's explicit consent, recorded with who took it and when.
    """

    __tablename__ = "face_enrollments"
    # AUTOINCREMENT: SQLite would give an erased face's id to the next enrolment (so an old
    # audit record or thumbnail link would name someone else's face).
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    encoding: Mapped[bytes] = mapped_column(SealedBytes)  # 128 float32, sealed at rest
    thumbnail_sha256: Mapped[str] = mapped_column(String(64))
    # The face chip's hash (verification.replay.face_hash): a selfie that is this photo, or its
    # downloadable thumbnail, is ENROLLMENT_PHOTO_REUSED. None for faces enrolled before it.
    face_phash: Mapped[str | None] = mapped_column(String(16))
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(8))  # api | cli
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
