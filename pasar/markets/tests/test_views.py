import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pasar.markets.models import Market
from pasar.regions.models import Region
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    """A client that chose English (the site answers in Indonesian unless a visitor picks a language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def markets():
    made = [
        factories.market(name="Pasar Cihapit", regency_code="32.73", latitude=-6.9097, longitude=107.6227),
        factories.market(name="Pasar Kosambi", regency_code="32.73", latitude=-6.9205, longitude=107.6180),
        factories.market(name="Pasar Bogor", regency_code="32.71", latitude=-6.6044, longitude=106.7990),
        factories.market(name="Pasar Beringharjo", regency_code="34.71", latitude=-7.7989, longitude=110.3657),
    ]
    Region.objects.filter(code="32.73").update(name="Kota Bandung")
    return made


def listed(response):
    """Market names in the page's list, in order."""
    return [m.name for m in response.context["markets"]] if response.context["markets"] is not None else None


def test_home_lists_every_active_market(client, markets):
    closed = factories.market(name="Pasar Tutup")
    Market.objects.filter(pk=closed.pk).update(is_active=False)

    response = client.get("/")

    assert response.status_code == 200
    assert listed(response) == ["Pasar Beringharjo", "Pasar Bogor", "Pasar Cihapit", "Pasar Kosambi"]
    assert response.context["near"] is None
    assert b"Pasar Tutup" not in response.content
    assert [p.code for p in response.context["provinces"]] == ["32", "34"]


def test_home_finds_by_name(client, markets):
    response = client.get("/", {"q": "kosambi"})
    assert listed(response) == ["Pasar Kosambi"]
    assert b'href="/pasar/pasar-kosambi/"' in response.content


def test_home_finds_by_city_name(client, markets):
    assert listed(client.get("/", {"q": "bandung"})) == ["Pasar Cihapit", "Pasar Kosambi"]


def test_home_finds_by_province(client, markets):
    assert listed(client.get("/", {"wilayah": "32"})) == ["Pasar Bogor", "Pasar Cihapit", "Pasar Kosambi"]


def test_home_finds_by_kab_kota(client, markets):
    response = client.get("/", {"wilayah": "32.73"})
    assert listed(response) == ["Pasar Cihapit", "Pasar Kosambi"]
    assert b'<option value="32.73" selected>' in response.content


def test_home_unknown_region_code_lists_nothing(client, markets):
    assert listed(client.get("/", {"wilayah": "99.99"})) == []


def test_home_says_when_nothing_matches(client, markets):
    response = client.get("/", {"q": "durian"})
    assert listed(response) == []
    assert "No market matches. Try another name or region." in response.text


def test_home_lists_markets_near_a_point_nearest_first(client, markets):
    response = client.get("/", {"lat": "-6.9100", "lng": "107.6200"})

    assert response.status_code == 200
    near = response.context["near"]
    assert [(n.market.name, round(n.distance_km, 1)) for n in near] == [("Pasar Cihapit", 0.3), ("Pasar Kosambi", 1.2)]
    assert response.context["markets"] is None
    assert "Nearest markets" in response.text


def test_home_near_a_point_without_markets(client, markets):
    response = client.get("/", {"lat": "-2.5", "lng": "140.7"})
    assert response.context["near"] == []
    assert "No market within 50 km of this point yet." in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lat": "abc", "lng": "107.6"}, "Enter a number."),
        ({"lat": "-6.9", "lng": "x"}, "Enter a number."),
        ({"lat": "nan", "lng": "107.6"}, "Enter a number."),
        ({"lat": "inf", "lng": "107.6"}, "Enter a number."),
        ({"lat": "-6.9"}, "Give both latitude and longitude, or neither."),
        ({"lng": "107.6"}, "Give both latitude and longitude, or neither."),
        ({"lat": "48.85", "lng": "2.35"}, "Ensure this value is less than or equal to 6.5."),
        ({"lat": "-6.9", "lng": "200"}, "Ensure this value is less than or equal to 141.5."),
    ],
)
def test_home_explains_a_bad_point_instead_of_failing(client, markets, params, message):
    response = client.get("/", params)

    assert response.status_code == 200
    assert message in response.text
    assert response.context["near"] is None
    assert response.context["markets"] is None


def test_home_keeps_what_was_typed(client, markets):
    response = client.get("/", {"q": "kosambi", "lat": "", "lng": ""})
    assert b'value="kosambi"' in response.content


def _queries(client, params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/", params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"q": "pasar"}, {"wilayah": "32"}, {"lat": "-6.91", "lng": "107.62"}])
def test_home_query_count_does_not_grow_with_markets(client, markets, params, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/", params)
    few = _queries(client, params)
    for i in range(12):
        factories.market(name=f"Pasar Baru {i}", regency_code=f"32.{10 + i}", latitude=-6.91, longitude=107.62)
    assert _queries(client, params) == few


def test_home_writes_nothing(client, markets):
    with CaptureQueriesContext(connection) as captured:
        client.get("/", {"q": "pasar"})
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in captured.captured_queries)
