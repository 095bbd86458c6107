"""GPS decision time with 10,000 sites: the indexed path against a naive loop over every polygon.

    .venv/bin/python bench/geofence.py [--sites 10000] [--decisions 20000] [--naive-decisions 50]

Sites are random 80-300 m polygons (5-8 vertices) spread over greater Bangkok. Check-in points
are a mix as seen in the field: 60 % inside a fence, 25 % within 150 m of one (drift), 15 %
anywhere in the city (outside). Every site is a candidate, the worst case (an employee who may
clock in anywhere); the usual case, a few candidate sites taken from the process cache, is
timed too. Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checkin.checkins.gps_step import GpsFix, decide_gps  # noqa: E402
from geofences.geometry import Fence, FenceIndex  # noqa: E402
from geofences.fence_cache import FenceCache  # noqa: E402

BANGKOK = (100.35, 13.55, 100.90, 13.95)  # lon/lat box
METRES_PER_DEGREE = 111_320.0


def random_polygon(rng: random.Random, lon: float, lat: float) -> dict:
    radius_m = rng.uniform(40, 150)
    vertices = rng.randint(5, 8)
    ring = []
    for k in range(vertices):
        angle = 2 * math.pi * k / vertices + rng.uniform(-0.2, 0.2)
        r = radius_m * rng.uniform(0.7, 1.0)
        ring.append([lon + r * math.cos(angle) / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
                     lat + r * math.sin(angle) / METRES_PER_DEGREE])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def make_geometries(rng: random.Random, count: int) -> list[dict]:
    return [random_polygon(rng, rng.uniform(BANGKOK[0], BANGKOK[2]), rng.uniform(BANGKOK[1], BANGKOK[3]))
            for _ in range(count)]


def make_fixes(rng: random.Random, fences: list[Fence], count: int) -> list[GpsFix]:
    fixes = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.85:
            centre = rng.choice(fences).shape.centroid
            offset_m = 0 if roll < 0.60 else rng.uniform(150, 250)
            bearing = rng.uniform(0, 2 * math.pi)
            lon = centre.x + offset_m * math.cos(bearing) / (METRES_PER_DEGREE * math.cos(math.radians(centre.y)))
            lat = centre.y + offset_m * math.sin(bearing) / METRES_PER_DEGREE
        else:
            lon, lat = rng.uniform(BANGKOK[0], BANGKOK[2]), rng.uniform(BANGKOK[1], BANGKOK[3])
        fixes.append(GpsFix(lat, lon, rng.uniform(5, 40)))
    return fixes


def naive_decision(fences: list[Fence], fix: GpsFix) -> tuple[int, float]:
    """What a first implementation does: measure every polygon, keep the nearest."""
    best = min(((fence.distance_m(fix.longitude, fix.latitude), fence.site_id) for fence in fences))
    return best[1], best[0]


def time_per_call(function, items) -> tuple[float, list]:
    results = []
    start = time.perf_counter()
    for item in items:
        results.append(function(item))
    return (time.perf_counter() - start) / len(items), results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=20_000)
    parser.add_argument("--naive-decisions", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2568)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    geometries = make_geometries(rng, args.sites)
    start = time.perf_counter()
    fences = [Fence.from_geojson(site_id, geometry, 50.0, 100.0)
              for site_id, geometry in enumerate(geometries, start=1)]
    for fence in fences:
        fence.projected  # noqa: B018 - warm the per-fence projection, as the process cache does
    build_fences_s = time.perf_counter() - start
    start = time.perf_counter()
    index = FenceIndex(fences)
    build_index_s = time.perf_counter() - start
    fixes = make_fixes(rng, fences, args.decisions)

    indexed_s, indexed = time_per_call(lambda fix: decide_gps(fix, index), fixes)
    naive_fixes = fixes[: args.naive_decisions]
    naive_s, naive = time_per_call(lambda fix: naive_decision(fences, fix), naive_fixes)

    # Both must pick the same site at the same distance, or the comparison means nothing.
    mismatches = sum(1 for fix, decision, (site_id, distance) in zip(naive_fixes, indexed, naive)
                     if decision.site_id != site_id or abs(decision.distance_m - distance) > 0.1)

    # The usual case, as the service runs it: 3 candidate sites (own or unit's), 2,000 units,
    # indexes and fences taken from the process-wide cache by (site id, updated_at).
    sites = {fence.site_id: SimpleNamespace(id=fence.site_id, updated_at=0, geometry=geometry,
                                            drift_tolerance_m=50.0, max_accuracy_m=100.0)
             for fence, geometry in zip(fences, geometries)}
    unit_fences = [rng.sample(fences, 3) for _ in range(2_000)]
    few = []
    for _ in range(args.decisions):
        candidates = rng.choice(unit_fences)
        few.append((make_fixes(rng, candidates, 1)[0], [sites[fence.site_id] for fence in candidates]))
    cache = FenceCache()
    for _, candidates in few:
        cache.index(candidates)  # warm, as a running server is
    few_s, _ = time_per_call(lambda item: decide_gps(item[0], cache.index(item[1])), few)

    counts: dict[str, int] = {}
    for decision in indexed:
        counts[decision.reasons[0]] = counts.get(decision.reasons[0], 0) + 1

    print(f"sites: {args.sites:,}   decisions: {args.decisions:,} (naive: {len(naive_fixes):,})")
    print("outcomes: " + ", ".join(f"{code} {n:,}" for code, n in sorted(counts.items())))
    print(f"prepare {args.sites:,} fences (parse, validate, project): {build_fences_s:.2f} s; "
          f"STR-tree: {build_index_s * 1000:.1f} ms")
    print(f"indexed decision, all {args.sites:,} sites candidates: {indexed_s * 1e6:8.1f} us per check-in")
    print(f"naive loop over all {args.sites:,} polygons:        {naive_s * 1e6:8.1f} us per check-in")
    print(f"ratio naive / indexed: {naive_s / indexed_s:,.0f}x   (target: indexed <= 50 us: "
          f"{'met' if indexed_s <= 50e-6 else 'NOT met'})")
    print(f"usual case, 3 candidate sites from the process cache: {few_s * 1e6:.1f} us per check-in")
    print(f"indexed and naive disagree on {mismatches} of {len(naive_fixes)} decisions")


if __name__ == "__main__":
    main()
