from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..database import Base, UTCDateTime, utcnow


class AuditRecord(Base):
    """One state change: who, when, what, before -> after. Append-only."""

    __tablename__ = "audit_records"
    __table_args__ = (Index("ix_audit_records_entity", "entity_type", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system decided
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column()
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(45))  # the client's (TRUSTED_PROXY_HOPS), IPv4 or IPv6


class AuditRecordChanged(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_audit_records(session, _context, _instances):
    """No code path may rewrite history: only new audit records are ever flushed."""
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, AuditRecord):
            raise AuditRecordChanged("audit records are append-only")
