"""Signs: create, revoke, the payload a sign shows now, and what a QR text in a selfie means.

Services flush; the caller commits.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from checkin.audit import service as audit
from checkin.database import db, get_or_404, utcnow
from checkin.errors import DomainError, Forbidden, NotFound

from . import sign_codes as C
from .models import Sign, Site


class SignRevoked(DomainError):
    status_code = 410


def signing_key() -> bytes:
    """Derived from SECRET_KEY: rotating the secret invalidates every sign (re-print them)."""
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"etk-sign-key-v1", hashlib.sha256).digest()


def display_token(sign: Sign) -> str:
    return hmac.new(signing_key(), f"display:{sign.id}".encode(), hashlib.sha256).hexdigest()[:32]


def create_sign(site: Site, kind: str, label: str | None, created_by_id: int | None) -> Sign:
    sign = Sign(site=site, kind=kind, label=label, created_by_id=created_by_id)
    db.session.add(sign)
    db.session.flush()
    audit.record("sign.created", "sign", sign.id, actor_id=created_by_id,
                 after={"site_id": site.id, "kind": kind, "label": label})
    return sign


def get_sign(site_id: int, sign_id: int) -> Sign:
    sign = get_or_404(Sign, sign_id, "Sign")
    if sign.site_id != site_id:
        raise NotFound(f"Sign {sign_id} does not belong to site {site_id}.")
    return sign


def display_sign(sign_id: int, token: str) -> Sign:
    """The display sign a screen opens with its token (the token is the screen's only credential)."""
    sign = get_or_404(Sign, sign_id, "Sign")
    # Bytes: compare_digest raises TypeError on a str with non-ASCII characters (a 500).
    if sign.kind != "display" or not hmac.compare_digest(token.encode(), display_token(sign).encode()):
        raise Forbidden("Wrong display token for this sign.", reason="DISPLAY_TOKEN_INVALID")
    if sign.revoked_at is not None:
        raise SignRevoked("This sign is revoked.", reason="SIGN_REVOKED")
    return sign


def list_signs(site: Site) -> list[Sign]:
    return list(db.session.scalars(select(Sign).where(Sign.site_id == site.id).order_by(Sign.id)))


def revoke_sign(sign: Sign, revoked_by_id: int | None) -> None:
    if sign.revoked_at is None:
        sign.revoked_at = utcnow()
        audit.record("sign.revoked", "sign", sign.id, actor_id=revoked_by_id,
                     before={"revoked_at": None}, after={"revoked_at": sign.revoked_at.isoformat()})
        db.session.flush()


def current_payload(sign: Sign, now: datetime) -> str:
    step = C.display_time_step(now.timestamp()) if sign.kind == "display" else None
    return C.make_payload(signing_key(), sign.id, step)


def resolve_sightings(qr_texts: list[str], candidate_site_ids: set[int], received_at: datetime) -> list[C.SignSighting]:
    """What each QR text in a selfie means for this check-in."""
    key = signing_key()
    sightings = []
    for text in dict.fromkeys(qr_texts):
        payload = C.parse_payload(key, text)
        sign = db.session.get(Sign, payload.sign_id) if payload else None
        if sign is None:
            sightings.append(C.SignSighting(C.SIGN_INVALID))
            continue
        code = C.sighting_code(sign.kind, revoked=sign.revoked_at is not None, time_step=payload.time_step,
                               now_step=C.display_time_step(received_at.timestamp()),
                               at_candidate_site=sign.site_id in candidate_site_ids)
        sightings.append(C.SignSighting(code, sign.id, sign.site_id, sign.kind))
    return sightings
