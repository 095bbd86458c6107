"""Geofence geometry in metres: validation of GeoJSON polygons, geodesic distance from a GPS fix
to a fence, and a spatial index over many fences.

Pure: no Flask, no SQLAlchemy. Coordinates are WGS 84 in GeoJSON order [longitude, latitude].
Degrees are never used as a distance: a degree of longitude in Bangkok is 3 % shorter than a
degree of latitude. Each fence is projected once into its UTM zone (EPSG:32647 for Bangkok) to
find the nearest point, and the distance to that point is then measured on the WGS 84
ellipsoid with pyproj's Geod.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from functools import cached_property

import shapely
from pyproj import Geod, Transformer
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.validation import explain_validity

from .policy import DEFAULT_PHOTO_MAX_DISTANCE_M, DEFAULT_PHOTO_MAX_RADIUS_M

GEOD = Geod(ellps="WGS84")
# Smallest length of one degree of latitude (at the equator) and largest of one degree of
# longitude per cos(latitude): together they give a search box that is never too small.
METRES_PER_DEGREE_LATITUDE_MIN = 110_574.0
METRES_PER_DEGREE_LONGITUDE_MAX = 111_320.0 * 1.0034
POSITION_EQUAL_TOLERANCE = 1e-12


class GeometryError(ValueError):
    """A geofence that cannot be used, with a message that names the problem."""


# --- validation --------------------------------------------------------------------------

def parse_fence_geometry(geojson: object) -> Polygon | MultiPolygon:
    """Validate a GeoJSON geometry object and return it as a shapely polygon.

    Strict on purpose: an unclosed ring or swapped coordinates are refused, not repaired,
    because a silently "fixed" fence puts people in the wrong place.
    """
    if not isinstance(geojson, dict):
        raise GeometryError("geometry must be a GeoJSON object")
    kind = geojson.get("type")
    coordinates = geojson.get("coordinates")
    if kind == "Polygon":
        _check_polygon(coordinates, "polygon")
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise GeometryError("MultiPolygon coordinates must be a non-empty list of polygons")
        for number, polygon in enumerate(coordinates, start=1):
            _check_polygon(polygon, f"polygon {number}")
    else:
        raise GeometryError(f"geometry type must be Polygon or MultiPolygon, not {kind!r}")

    geometry = shape(geojson)
    if not geometry.is_valid:
        raise GeometryError(f"invalid polygon: {explain_validity(geometry)}")
    if geometry.area == 0:
        raise GeometryError("polygon has no area")
    return geometry


def _check_polygon(rings: object, label: str) -> None:
    if not isinstance(rings, list) or not rings:
        raise GeometryError(f"{label}: coordinates must be a non-empty list of rings")
    for number, ring in enumerate(rings):
        name = f"{label}, {'outer ring' if number == 0 else f'hole {number}'}"
        _check_ring(ring, name)


def _check_ring(ring: object, name: str) -> None:
    if not isinstance(ring, list):
        raise GeometryError(f"{name}: a ring must be a list of [longitude, latitude] positions")
    for index, position in enumerate(ring):
        _check_position(position, f"{name}, position {index}")
    distinct = {tuple(position[:2]) for position in ring}
    if len(distinct) < 3:
        raise GeometryError(f"{name}: a ring needs at least 3 distinct points, got {len(distinct)}")
    first, last = ring[0][:2], ring[-1][:2]
    if any(abs(a - b) > POSITION_EQUAL_TOLERANCE for a, b in zip(first, last)):
        raise GeometryError(
            f"{name}: ring is not closed (the last position must repeat the first, {first})"
        )


def _check_position(position: object, where: str) -> None:
    if (
        not isinstance(position, list | tuple)
        or len(position) < 2
        or not all(isinstance(value, int | float) and not isinstance(value, bool) for value in position[:2])
    ):
        raise GeometryError(f"{where}: a position must be [longitude, latitude] numbers")
    longitude, latitude = position[0], position[1]
    if not (math.isfinite(longitude) and math.isfinite(latitude)):
        raise GeometryError(f"{where}: coordinates must be finite numbers")
    if not -90 <= latitude <= 90:
        hint = ""
        if -90 <= longitude <= 90 and -180 <= latitude <= 180:
            hint = " - the coordinates look swapped: GeoJSON order is [longitude, latitude]"
        raise GeometryError(f"{where}: latitude {latitude} is out of range [-90, 90]{hint}")
    if not -180 <= longitude <= 180:
        raise GeometryError(f"{where}: longitude {longitude} is out of range [-180, 180]")


# --- projections -------------------------------------------------------------------------

def utm_epsg(longitude: float, latitude: float) -> int:
    """EPSG code of the WGS 84 / UTM zone holding a point (32647 for Bangkok)."""
    zone = min(int((longitude + 180) // 6) + 1, 60)
    return (32600 if latitude >= 0 else 32700) + zone


_transformers = threading.local()


def transformers(epsg: int) -> tuple[Transformer, Transformer]:
    """(degrees -> metres, metres -> degrees) for a UTM zone, one pair per thread."""
    cache = _transformers.__dict__.setdefault("by_epsg", {})
    pair = cache.get(epsg)
    if pair is None:
        pair = (
            Transformer.from_crs(4326, epsg, always_xy=True),
            Transformer.from_crs(epsg, 4326, always_xy=True),
        )
        cache[epsg] = pair
    return pair


def geodesic_distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


# --- fences ------------------------------------------------------------------------------

@dataclass(eq=False)
class Fence:
    """One site's polygon, prepared for fast point tests and metric distances."""

    site_id: int
    shape: Polygon | MultiPolygon
    drift_tolerance_m: float
    max_accuracy_m: float
    # The band in which a photo may still rescue a drifting fix (geofences.policy).
    photo_max_distance_m: float = DEFAULT_PHOTO_MAX_DISTANCE_M
    photo_max_radius_m: float = DEFAULT_PHOTO_MAX_RADIUS_M
    epsg: int = field(init=False)

    def __post_init__(self) -> None:
        centroid = self.shape.centroid
        self.epsg = utm_epsg(centroid.x, centroid.y)
        shapely.prepare(self.shape)

    @classmethod
    def from_geojson(cls, site_id: int, geojson: dict, drift_tolerance_m: float, max_accuracy_m: float,
                     photo_max_distance_m: float = DEFAULT_PHOTO_MAX_DISTANCE_M,
                     photo_max_radius_m: float = DEFAULT_PHOTO_MAX_RADIUS_M) -> Fence:
        return cls(site_id, parse_fence_geometry(geojson), drift_tolerance_m, max_accuracy_m,
                   photo_max_distance_m, photo_max_radius_m)

    @cached_property
    def projected(self) -> Polygon | MultiPolygon:
        to_metres, _ = transformers(self.epsg)
        projected = shapely.transform(self.shape, lambda xy: _transform_array(to_metres, xy))
        shapely.prepare(projected)
        return projected

    def distance_m(self, longitude: float, latitude: float) -> float:
        """0 inside or on the boundary; else the geodesic distance to the nearest edge point."""
        point = Point(longitude, latitude)
        if self.shape.covers(point):
            return 0.0
        to_metres, to_degrees = transformers(self.epsg)
        x, y = to_metres.transform(longitude, latitude)
        nearest = shapely.shortest_line(self.projected, Point(x, y)).coords[0]
        nearest_lon, nearest_lat = to_degrees.transform(*nearest)
        return geodesic_distance_m(longitude, latitude, nearest_lon, nearest_lat)


def _transform_array(transformer: Transformer, xy):
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    xy = xy.copy()
    xy[:, 0], xy[:, 1] = x, y
    return xy


def search_box(longitude: float, latitude: float, radius_m: float) -> Polygon:
    """A lon/lat box that contains every point within radius_m of the given point."""
    margin = 1.01
    d_lat = radius_m / METRES_PER_DEGREE_LATITUDE_MIN * margin
    cos_lat = math.cos(math.radians(min(abs(latitude) + d_lat, 89.9)))
    d_lon = min(radius_m / (METRES_PER_DEGREE_LONGITUDE_MAX * cos_lat) * margin, 360.0)
    return shapely.box(longitude - d_lon, latitude - d_lat, longitude + d_lon, latitude + d_lat)


class FenceIndex:
    """An STR-tree over fences: finds the few fences near a fix among thousands."""

    def __init__(self, fences: list[Fence]):
        self.fences = list(fences)
        self.tree = shapely.STRtree([fence.shape for fence in self.fences])
        self.max_drift_tolerance_m = max((f.drift_tolerance_m for f in self.fences), default=0.0)

    def __len__(self) -> int:
        return len(self.fences)

    def within(self, longitude: float, latitude: float, radius_m: float) -> list[tuple[Fence, float]]:
        """Fences within radius_m of the point with their distances, nearest first."""
        hits = self.tree.query(search_box(longitude, latitude, radius_m))
        measured = [(self.fences[i], self.fences[i].distance_m(longitude, latitude)) for i in hits]
        measured = [(fence, distance) for fence, distance in measured if distance <= radius_m]
        measured.sort(key=lambda item: (item[1], item[0].site_id))
        return measured

    def nearest(self, longitude: float, latitude: float) -> tuple[Fence, float] | None:
        """The nearest fence in metres.

        The tree's nearest is in degrees, which can pick the wrong fence when two are at
        similar distances in different directions; so measure every fence within a box that
        is sure to hold the metric nearest.
        """
        if not self.fences:
            return None
        guess = int(self.tree.nearest(Point(longitude, latitude)))
        best = (self.fences[guess], self.fences[guess].distance_m(longitude, latitude))
        for index in self.tree.query(search_box(longitude, latitude, best[1])):
            if index != guess:
                distance = self.fences[index].distance_m(longitude, latitude)
                if (distance, self.fences[index].site_id) < (best[1], best[0].site_id):
                    best = (self.fences[index], distance)
        return best
