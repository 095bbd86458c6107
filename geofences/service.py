"""Sites: create, change, archive, import; and the candidate fences of an employee.

Services flush; the caller commits.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from itertools import chain

from flask import Flask, current_app
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, make_transient_to_detached

from checkin.database import db, utcnow
from checkin.errors import Conflict, InvalidInput, NotFound
from checkin.org.models import Employee, OrgUnit

from .geometry import Fence, FenceIndex
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


# --- candidate fences --------------------------------------------------------------------

def candidate_sites(employee: Employee) -> list[Site]:
    """The employee's own sites; else those of their unit, or of the nearest ancestor unit
    that has any (a section inherits its division's buildings).

    Read through each process's CandidateCache: at the morning peak every check-in would
    otherwise re-read the same few rows (three queries or more per check-in)."""
    cache: CandidateCache = current_app.extensions[CandidateCache.EXTENSION_KEY]
    cached = cache.get(employee.id)
    if cached is not None:
        return [db.session.merge(site, load=False) for site in cached]
    sites = _load_candidate_sites(employee)
    cache.put(employee.id, [_detached_copy(site) for site in sites])
    return sites


def _load_candidate_sites(employee: Employee) -> list[Site]:
    if employee.sites:
        return [site for site in employee.sites if site.archived_at is None]
    unit = employee.unit
    while unit is not None:
        sites = [site for site in unit.sites if site.archived_at is None]
        if sites:
            return sites
        unit = unit.parent
    return []


def _detached_copy(site: Site) -> Site:
    """A copy that belongs to no session, for sessions to merge without a query."""
    copy = Site(**{attribute.key: getattr(site, attribute.key) for attribute in inspect(Site).column_attrs})
    make_transient_to_detached(copy)
    return copy


class CandidateCache:
    """Each employee's candidate sites, kept by a process for `seconds`.

    A change to a site, a unit or an employee flushed by this process empties it at once;
    other processes (API nodes, workers) see the change within `seconds`: the price of not
    reading the org tree on every check-in. Sites themselves are copies nobody writes to.
    """

    EXTENSION_KEY = "etk.candidate_sites"

    def __init__(self, seconds: float, max_size: int = 100_000):
        self.seconds, self.max_size = seconds, max_size
        self._entries: OrderedDict[int, tuple[float, list[Site]]] = OrderedDict()
        self._lock = threading.Lock()

    def init_app(self, app: Flask) -> None:
        app.extensions[self.EXTENSION_KEY] = self
        event.listen(app.extensions[db.EXTENSION_KEY], "after_flush", self._forget_on_change)

    def get(self, employee_id: int) -> list[Site] | None:
        with self._lock:
            entry = self._entries.get(employee_id)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, employee_id: int, sites: list[Site]) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            self._entries[employee_id] = (time.monotonic() + self.seconds, sites)
            self._entries.move_to_end(employee_id)
            while len(self._entries) > self.max_size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _forget_on_change(self, session: Session, _flush_context) -> None:
        changed = chain(session.new, session.dirty, session.deleted)
        if any(isinstance(instance, (Site, Employee, OrgUnit)) for instance in changed):
            self.clear()


class FenceCache:
    """Prepared fences and candidate-set indexes shared by all requests of a process.

    Keys include each site's updated_at, so a changed polygon is picked up by every process
    without any signalling; candidate sets repeat (a unit's staff share one), so their
    indexes are cached too.
    """

    def __init__(self, max_size: int = 20_000):
        self.max_size = max_size
        self._entries: OrderedDict[tuple, Fence | FenceIndex] = OrderedDict()
        self._lock = threading.Lock()

    def index(self, sites: list[Site]) -> FenceIndex:
        key = ("index", *((site.id, site.updated_at) for site in sites))
        return self._get_or_build(key, lambda: FenceIndex([self.fence(site) for site in sites]))

    def fence(self, site: Site) -> Fence:
        return self._get_or_build(("fence", site.id, site.updated_at), lambda: Fence.from_geojson(
            site.id, site.geometry, site.drift_tolerance_m, site.max_accuracy_m))

    def _get_or_build(self, key: tuple, build):
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        built = build()  # outside the lock: parsing a polygon must not stall other requests
        with self._lock:
            self._entries[key] = built
            while len(self._entries) > self.max_size:
                self._entries.popitem(last=False)
        return built


fence_cache = FenceCache()
