import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pasar.core.geo import EARTH_RADIUS_KM, bounding_box, haversine_km

MONAS = (-6.1754, 106.8272)
GEDUNG_SATE = (-6.9025, 107.6188)


def test_same_point_is_zero_km():
    assert haversine_km(*MONAS, *MONAS) == 0.0


def test_one_degree_of_latitude_is_about_111_km():
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.195, abs=0.001)


def test_jakarta_to_bandung():
    assert haversine_km(*MONAS, *GEDUNG_SATE) == pytest.approx(119.10, abs=0.01)


def test_distance_is_symmetric():
    assert haversine_km(*MONAS, *GEDUNG_SATE) == haversine_km(*GEDUNG_SATE, *MONAS)


def test_half_way_round_the_earth():
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(EARTH_RADIUS_KM * math.pi)


def _destination(lat, lon, distance_km, bearing_deg):
    """The point ``distance_km`` from (lat, lon) along ``bearing_deg`` (spherical earth)."""
    phi, lmb, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    delta = distance_km / EARTH_RADIUS_KM
    phi2 = math.asin(math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta))
    lmb2 = lmb + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi), math.cos(delta) - math.sin(phi) * math.sin(phi2)
    )
    return math.degrees(phi2), math.degrees(lmb2)


METRE_IN_DEGREES = 1 / 111_195


@given(
    st.floats(min_value=-11.0, max_value=6.0),
    st.floats(min_value=95.0, max_value=141.0),
    st.floats(min_value=0.1, max_value=100.0),
    st.floats(min_value=0.0, max_value=360.0),
)
def test_bounding_box_encloses_the_circle_to_a_metre(latitude, longitude, radius, bearing):
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius)
    edge_lat, edge_lon = _destination(latitude, longitude, radius, bearing)
    assert haversine_km(latitude, longitude, edge_lat, edge_lon) == pytest.approx(radius)
    assert min_lat - METRE_IN_DEGREES <= edge_lat <= max_lat + METRE_IN_DEGREES
    assert min_lon - METRE_IN_DEGREES <= edge_lon <= max_lon + METRE_IN_DEGREES


def test_bounding_box_is_tight_north_and_south():
    min_lat, max_lat, _min_lon, _max_lon = bounding_box(-6.9, 107.6, 10.0)
    assert haversine_km(-6.9, 107.6, max_lat, 107.6) == pytest.approx(10.0)
    assert haversine_km(-6.9, 107.6, min_lat, 107.6) == pytest.approx(10.0)
