"""Prepared fences, shared by every request of a process."""

from __future__ import annotations

import threading
from collections import OrderedDict

from .geometry import Fence, FenceIndex
from .models import Site


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
            site.id, site.geometry, site.drift_tolerance_m, site.max_accuracy_m,
            site.photo_max_distance_m, site.photo_max_radius_m))

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
