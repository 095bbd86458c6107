"""Pure geometry: metres, not degrees."""

import pytest

from geofences.geometry import (Fence, FenceIndex, GeometryError, geodesic_distance_m, parse_fence_geometry,
                                utm_epsg)

# A 0.002 x 0.002 degree square near Bangkok City Hall, 100.5 E, 13.75 N.
SQUARE = {"type": "Polygon", "coordinates": [[[100.499, 13.752], [100.501, 13.752], [100.501, 13.754],
                                              [100.499, 13.754], [100.499, 13.752]]]}


def fence(geometry=SQUARE, site_id=1, drift=50.0, max_accuracy=100.0):
    return Fence.from_geojson(site_id, geometry, drift, max_accuracy)


def test_bangkok_is_in_utm_zone_47_north():
    assert utm_epsg(100.5, 13.75) == 32647
    assert utm_epsg(-70.0, -33.0) == 32719


def test_degree_based_distance_would_be_wrong_near_100_5_east():
    """0.001 degrees east and 0.001 north are 108 m and 110.6 m: a degree distance treats them alike."""
    east = fence().distance_m(100.502, 13.753)
    north = fence().distance_m(100.500, 13.755)
    assert east == pytest.approx(108.15, abs=0.1)
    assert north == pytest.approx(110.64, abs=0.1)
    assert north - east > 2.0
    assert east == pytest.approx(geodesic_distance_m(100.501, 13.753, 100.502, 13.753), abs=0.01)


def test_inside_and_boundary_points_are_at_distance_zero():
    assert fence().distance_m(100.500, 13.753) == 0.0
    assert fence().distance_m(100.501, 13.753) == 0.0  # on an edge
    assert fence().distance_m(100.499, 13.752) == 0.0  # on a corner


def test_distance_to_a_corner_is_diagonal():
    distance = fence().distance_m(100.502, 13.755)
    assert distance == pytest.approx(geodesic_distance_m(100.501, 13.754, 100.502, 13.755), abs=0.01)


def test_a_point_in_a_hole_is_outside():
    outer = [[100.49, 13.74], [100.51, 13.74], [100.51, 13.76], [100.49, 13.76], [100.49, 13.74]]
    hole = [[100.499, 13.749], [100.499, 13.751], [100.501, 13.751], [100.501, 13.749], [100.499, 13.749]]
    courtyard = fence({"type": "Polygon", "coordinates": [outer, hole]})
    assert courtyard.distance_m(100.5, 13.75) == pytest.approx(108.1, abs=0.5)  # to the hole's edge
    assert courtyard.distance_m(100.495, 13.75) == 0.0


def test_multipolygon_distance_is_to_the_nearest_part():
    parts = {"type": "MultiPolygon", "coordinates": [
        SQUARE["coordinates"],
        [[[100.510, 13.752], [100.511, 13.752], [100.511, 13.753], [100.510, 13.752]]],
    ]}
    assert fence(parts).distance_m(100.5105, 13.75225) == 0.0
    assert fence(parts).distance_m(100.5095, 13.7522) == pytest.approx(
        geodesic_distance_m(100.5095, 13.7522, 100.510, 13.752), abs=0.01)  # the annex corner


def test_index_finds_fences_within_reach_nearest_first():
    near = fence(site_id=1)
    shifted = {"type": "Polygon", "coordinates": [[[x + 0.003, y] for x, y in SQUARE["coordinates"][0]]]}
    further = fence(shifted, site_id=2)
    index = FenceIndex([further, near])
    found = index.within(100.5017, 13.753, 200)
    assert [(f.site_id, round(d)) for f, d in found] == [(2, 32), (1, 76)]
    assert index.within(100.5017, 13.753, 10) == []
    assert index.nearest(100.6, 13.753)[0].site_id == 2


def test_nearest_is_metric_not_degree_based():
    """Two fences 0.0011 degrees away: east (119 m) and north (122 m). Degrees call it a tie."""
    east = fence({"type": "Polygon", "coordinates": [[[100.5011, 13.7499], [100.502, 13.7499],
                                                      [100.502, 13.7501], [100.5011, 13.7501], [100.5011, 13.7499]]]},
                 site_id=1)
    north = fence({"type": "Polygon", "coordinates": [[[99.9999 + 0.5, 13.7511], [100.5001, 13.7511],
                                                       [100.5001, 13.752], [100.4999, 13.752], [100.4999, 13.7511]]]},
                  site_id=2)
    assert FenceIndex([north, east]).nearest(100.5, 13.75)[0].site_id == 1


@pytest.mark.parametrize("geometry", [
    None, [], {"type": "Polygon"}, {"type": "Polygon", "coordinates": []},
    {"type": "MultiPolygon", "coordinates": []},
    {"type": "Polygon", "coordinates": [[[100.5, 13.7], [100.5, 13.7], [100.5, 13.7], [100.5, 13.7]]]},
    {"type": "Polygon", "coordinates": [[[100.5, 13.7], [float("nan"), 13.7], [100.6, 13.8], [100.5, 13.7]]]},
    {"type": "Polygon", "coordinates": [[[True, 13.7], [100.5, 13.7], [100.6, 13.8], [True, 13.7]]]},
])
def test_unusable_geometries_raise_geometry_error(geometry):
    with pytest.raises(GeometryError):
        parse_fence_geometry(geometry)
