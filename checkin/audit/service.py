"""Writing the audit trail. Callers record inside the transaction that makes the change, so a
change and its record commit (or roll back) together."""

from __future__ import annotations

from flask import g, has_request_context, request
from sqlalchemy import select

from ..database import db
from .models import AuditRecord


def record(action: str, entity_type: str, entity_id: int, *, actor_id: int | None,
           before: dict | None = None, after: dict | None = None) -> AuditRecord:
    in_request = has_request_context()
    entry = AuditRecord(action=action, entity_type=entity_type, entity_id=entity_id, actor_id=actor_id,
                        before=before, after=after, request_id=g.get("request_id") if in_request else None,
                        address=request.remote_addr if in_request else None)
    db.session.add(entry)
    return entry


def trail(entity_type: str, entity_id: int) -> list[AuditRecord]:
    return list(db.session.scalars(select(AuditRecord).where(
        AuditRecord.entity_type == entity_type, AuditRecord.entity_id == entity_id).order_by(AuditRecord.id)))
