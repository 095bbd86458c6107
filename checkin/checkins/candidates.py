"""The candidate sites of an employee: their own, else their unit's or the nearest ancestor's."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from itertools import chain

from flask import Flask, current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, make_transient_to_detached

from geofences.models import Site

from ..database import db
from ..org.models import Employee, OrgUnit


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
