"""Sites: create, change, archive, import; each change of a fence kept as a version, each
change of a site on the audit trail. Services flush; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import select

from checkin.audit import service as audit
from checkin.database import db, utcnow
from checkin.errors import Conflict, InvalidInput, NotFound

from .models import Site, SiteVersion
from .policy import POLICY_FIELDS

# What a version keeps: everything the check-in decision reads of a site.
FENCE_FIELDS = ("code", "name", "geometry", "drift_tolerance_m", "max_accuracy_m", *POLICY_FIELDS)


def to_feature(site: Site | SiteVersion) -> dict:
    """A site, or one version of it, as a GeoJSON Feature."""
    return {
        "type": "Feature",
        "id": site.site_id if isinstance(site, SiteVersion) else site.id,
        "geometry": site.geometry,
        "properties": {field: getattr(site, field) for field in FENCE_FIELDS if field != "geometry"},
    }


def fence_at_decision(site: Site, version: int | None) -> dict:
    """The site's fence as the decision of a check-in saw it, as a GeoJSON Feature with its
    version and since when (no version recorded: the site as it is)."""
    kept = db.session.scalar(select(SiteVersion).where(SiteVersion.site_id == site.id,
                                                       SiteVersion.version == version))
    if kept is None:
        return to_feature(site)
    feature = to_feature(kept)
    feature["properties"].update(version=kept.version, valid_from=kept.valid_from.isoformat())
    return feature


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


def create_site(feature: dict, by=None) -> Site:
    """`by`: the user making the change (None: an operator at the CLI)."""
    existing = find_site_by_code(feature["properties"]["code"])
    if existing is not None:
        raise Conflict(f"A site with code {existing.code!r} already exists (id {existing.id}).")
    site = Site()
    db.session.add(site)
    _apply(site, feature, by)
    return site


def replace_site(site: Site, feature: dict, by=None) -> Site:
    other = find_site_by_code(feature["properties"]["code"])
    if other is not None and other.id != site.id:
        raise Conflict(f"Another site already has code {other.code!r} (id {other.id}).")
    _apply(site, feature, by)
    return site


def archive_site(site: Site, by=None) -> None:
    """Sites are archived, not deleted: past check-ins keep pointing at them."""
    site.archived_at = utcnow()
    db.session.flush()
    audit.record("site.archived", "site", site.id, actor_id=audit.actor_id(by),
                 after={"archived_at": site.archived_at})


def import_sites(collection: dict, by=None) -> tuple[int, int]:
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
        site.archived_at = None
        _apply(site, feature, by)
    return created, updated


def _apply(site: Site, feature: dict, by) -> None:
    """Set the site from a Feature; a new or changed fence becomes a new version, audited."""
    properties = feature["properties"]
    before = None if site.id is None else _fence(site)
    site.geometry = feature["geometry"]
    for field in FENCE_FIELDS:
        if field != "geometry":
            setattr(site, field, properties[field])
    site.updated_at = utcnow()
    if before is not None and before == _fence(site):
        db.session.flush()
        return
    site.version = 1 if before is None else site.version + 1
    db.session.flush()
    db.session.add(SiteVersion(site_id=site.id, version=site.version, valid_from=site.updated_at, **_fence(site)))
    if before is None:
        audit.record("site.created", "site", site.id, actor_id=audit.actor_id(by), after=_fence(site))
    else:
        audit.record_changes("site.changed", "site", site.id, actor_id=audit.actor_id(by), before=before,
                             after=_fence(site), also={"version": site.version})
    db.session.flush()


def _fence(site: Site) -> dict:
    return {field: getattr(site, field) for field in FENCE_FIELDS}
