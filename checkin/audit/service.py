"""Writing the audit trail. Callers record inside the transaction that makes the change, so a
change and its record commit (or roll back) together."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from flask import g, has_request_context, request
from sqlalchemy import insert, select

from ..database import db
from .models import AuditRecord

if TYPE_CHECKING:
    from ..accounts.models import User


def record(action: str, entity_type: str, entity_id: int, *, actor_id: int | None,
           before: dict | None = None, after: dict | None = None) -> AuditRecord:
    request_id, address = _origin()
    entry = AuditRecord(action=action, entity_type=entity_type, entity_id=entity_id, actor_id=actor_id,
                        before=jsonable(before), after=jsonable(after), request_id=request_id, address=address)
    db.session.add(entry)
    return entry


def record_many(action: str, entity_type: str, changes: list[tuple[int, dict]], *, actor_id: int | None) -> None:
    """One record per (entity id, after), as `record` writes it, in one bulk insert: an import of
    100,000 rows cannot afford the ORM's statement per new row."""
    if not changes:
        return
    request_id, address = _origin()
    db.session.execute(insert(AuditRecord), [
        {"action": action, "entity_type": entity_type, "entity_id": entity_id, "actor_id": actor_id, "before": None,
         "after": jsonable(after), "request_id": request_id, "address": address} for entity_id, after in changes])


def _origin() -> tuple[str | None, str | None]:
    """The request id and client address of the request a change came in (None, None outside one)."""
    if not has_request_context():
        return None, None
    return g.get("request_id"), request.remote_addr


def actor_id(user: User | None) -> int | None:
    """The audit actor of a change made by `user`; None for the system or an operator at the CLI."""
    return None if user is None else user.id


def record_changes(action: str, entity_type: str, entity_id: int, *, actor_id: int | None, before: dict,
                   after: dict, also: dict | None = None) -> None:
    """An update on the record: only the fields that differ, before -> after, with `also` added
    to the after side (e.g. that a password was reset); nothing when nothing changed."""
    keys = [key for key in after if before.get(key) != after[key]]
    changed_after = {**{key: after[key] for key in keys}, **(also or {})}
    if changed_after:
        record(action, entity_type, entity_id, actor_id=actor_id, before={key: before.get(key) for key in keys},
               after=changed_after)


def jsonable(value):
    """Dates and times as ISO 8601, tuples and sets as lists: what the JSON column can hold."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(item) for item in (sorted(value) if isinstance(value, (set, frozenset)) else value)]
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    return value


def trail(entity_type: str, entity_id: int) -> list[AuditRecord]:
    return list(db.session.scalars(select(AuditRecord).where(
        AuditRecord.entity_type == entity_type, AuditRecord.entity_id == entity_id).order_by(AuditRecord.id)))
