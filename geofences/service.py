"""Sites: create, change, archive, import.

Services flush; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import select

from checkin.database import db, utcnow
from checkin.errors import Conflict, InvalidInput, NotFound

from .models import Site


def to_feature(site: Site) -> dict:
    return {
        "type": "Feature",
        "id": site.id,
        "geometry": site.geometry,
        "properties": {
            "code": site.code,
            "name": site.name,
            "drift_tolerance_m": site.drift_tolerance_m,
            "max_accuracy_m": site.max_accuracy_m,
        },
    }


def to_feature_collection(sites: list[Site]) -> dict:
    return {"type": "FeatureCollection", "features": [to_feature(site) for site in sites]}


def list_sites() -> list[Site]:
    return list(db.session.scalars(select(Site).where(Site.archived_at.is_(None)).order_by(Site.code)))


def get_site(site_id: int) -> Site:
    site = db.session.get(Site, site_id)
    if site is None or site.archived_at is not None:
        raise NotFound(f"Site {site_id} does not exist.")
    return site


def find_site_by_code(code: str) -> Site | None:
    return db.session.scalar(select(Site).where(Site.code == code))


def create_site(feature: dict) -> Site:
    existing = find_site_by_code(feature["properties"]["code"])
    if existing is not None:
        raise Conflict(f"A site with code {existing.code!r} already exists (id {existing.id}).")
    site = Site()
    _apply(site, feature)
    db.session.add(site)
    db.session.flush()
    return site


def replace_site(site: Site, feature: dict) -> Site:
    other = find_site_by_code(feature["properties"]["code"])
    if other is not None and other.id != site.id:
        raise Conflict(f"Another site already has code {other.code!r} (id {other.id}).")
    _apply(site, feature)
    db.session.flush()
    return site


def archive_site(site: Site) -> None:
    """Sites are archived, not deleted: past check-ins keep pointing at them."""
    site.archived_at = utcnow()
    db.session.flush()


def import_sites(collection: dict) -> tuple[int, int]:
    """Create or update sites by code; returns (created, updated). All or nothing."""
    codes = [feature["properties"]["code"] for feature in collection["features"]]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise InvalidInput(f"Codes appear more than once in the file: {', '.join(repeated)}.")
    created = updated = 0
    for feature in collection["features"]:
        site = find_site_by_code(feature["properties"]["code"])
        if site is None:
            site = Site()
            db.session.add(site)
            created += 1
        else:
            updated += 1
        _apply(site, feature)
        site.archived_at = None
    db.session.flush()
    return created, updated


def _apply(site: Site, feature: dict) -> None:
    properties = feature["properties"]
    site.code = properties["code"]
    site.name = properties["name"]
    site.geometry = feature["geometry"]
    site.drift_tolerance_m = properties["drift_tolerance_m"]
    site.max_accuracy_m = properties["max_accuracy_m"]
    site.updated_at = utcnow()
