"""A real fence near Bangkok City Hall (Sao Chingcha) and points at known metre offsets from it.

Offsets are computed on the WGS 84 ellipsoid with pyproj.Geod, never guessed in degrees.
The fence is about 195 m (east-west) by 166 m (north-south).
"""

from __future__ import annotations

from pyproj import Geod

from checkin.checkins.gps_step import GpsFix
from geofences.geometry import Fence, FenceIndex

GEOD = Geod(ellps="WGS84")

CITY_HALL = {"type": "Polygon", "coordinates": [[[100.4999, 13.7525], [100.5017, 13.7525], [100.5017, 13.7540],
                                                 [100.4999, 13.7540], [100.4999, 13.7525]]]}
SITE_ID = 1
DRIFT_TOLERANCE_M = 50.0
MAX_ACCURACY_M = 100.0

CENTRE = (100.5008, 13.75325)  # (longitude, latitude)
EAST_EDGE_MIDDLE = (100.5017, 13.75325)
NORTH_EDGE_MIDDLE = (100.5008, 13.7540)
SOUTH_WEST_CORNER = (100.4999, 13.7525)


def city_hall(site_id: int = SITE_ID, drift_tolerance_m: float = DRIFT_TOLERANCE_M,
              max_accuracy_m: float = MAX_ACCURACY_M, **photo_band) -> Fence:
    """`photo_band`: photo_max_distance_m, photo_max_radius_m (else the defaults, 150 m each)."""
    return Fence.from_geojson(site_id, CITY_HALL, drift_tolerance_m, max_accuracy_m, **photo_band)


def square_east_of(lon_lat: tuple[float, float], gap_m: float, side_m: float = 100) -> dict:
    """A square fence whose west edge is `gap_m` east of the point."""
    west = moved(lon_lat, 90, gap_m)
    east = moved(lon_lat, 90, gap_m + side_m)
    south, north = moved(west, 180, side_m / 2)[1], moved(west, 0, side_m / 2)[1]
    ring = [[west[0], south], [east[0], south], [east[0], north], [west[0], north], [west[0], south]]
    return {"type": "Polygon", "coordinates": [ring]}


def index(*fences: Fence) -> FenceIndex:
    return FenceIndex(list(fences) or [city_hall()])


def moved(lon_lat: tuple[float, float], azimuth_deg: float, metres: float) -> tuple[float, float]:
    """The point `metres` away from `lon_lat` along `azimuth_deg` (0 north, 90 east)."""
    lon, lat, _ = GEOD.fwd(lon_lat[0], lon_lat[1], azimuth_deg, metres)
    return lon, lat


def east_of_fence(metres: float) -> tuple[float, float]:
    """A point `metres` outside the east edge (the nearest fence point is the edge's middle)."""
    return moved(EAST_EDGE_MIDDLE, 90, metres)


def fix_at(lon_lat: tuple[float, float], accuracy_m: float, confidence: int = 68) -> GpsFix:
    return GpsFix(latitude=lon_lat[1], longitude=lon_lat[0], accuracy_m=accuracy_m, accuracy_confidence=confidence)
