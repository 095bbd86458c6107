"""Stored pictures of people (selfies, enrolled faces) as a response, with the look on the record.

A face picture is biometric personal data (PDPA s. 26): every view is audited, and no cache
keeps a copy.
"""

from __future__ import annotations

from flask import Response

from ..accounts.models import User
from ..errors import NotFound
from ..storage import current_storage
from . import service as audit


def audited_file(sha256: str, extension: str, mimetype: str, *, viewer: User, action: str, entity_type: str,
                 entity_id: int, after: dict | None = None, missing: NotFound) -> Response:
    """The stored file as a response, with `action` recorded for the viewer (the caller commits).
    `missing` is raised when the file is not in storage."""
    try:
        data = current_storage().get(sha256, extension)
    except FileNotFoundError:
        raise missing from None
    audit.record(action, entity_type, entity_id, actor_id=viewer.id, after=after)
    return Response(data, mimetype=mimetype, headers={"Cache-Control": "private, no-store"})
