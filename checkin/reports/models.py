"""Large report exports as jobs: requested over HTTP, produced by a worker (or in-process when
there is no broker), downloaded when done. The file goes to the same storage as the selfies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base, UTCDateTime, utcnow


class ReportJob(Base):
    __tablename__ = "report_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # salary_step
    params: Mapped[dict] = mapped_column(JSON)
    format: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(8), default="queued")  # queued | running | done | failed
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
