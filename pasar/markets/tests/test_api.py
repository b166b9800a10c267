import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pasar.markets.models import Category, Market
from pasar.regions.models import Region
from pasar.testing import factories

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/markets"


@pytest.fixture
def client(client, settings):
    """A client that chose English (the site answers in Indonesian unless a visitor picks a language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def summary(market: Market, distance_km: float | None = None) -> dict[str, object]:
    province = market.region.parent
    assert province is not None
    return {
        "slug": market.slug,
        "name": market.name,
        "kind": "rakyat",
        "address": "Jl. Contoh",
        "region": {
            "code": market.region.code,
            "name": market.region.name,
            "kind": "kota",
            "province": {"code": province.code, "name": province.name},
        },
        "latitude": market.latitude,
        "longitude": market.longitude,
        "coordinates_approximate": False,
        "distance_km": distance_km,
    }


def test_list_gives_active_markets_by_name_with_total(client, market, other_market):
    Market.objects.create(
        name="Pasar Tutup", slug="pasar-tutup", region=market.region, latitude=-6.9, longitude=107.6, is_active=False
    )

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert response.json() == {"items": [summary(market), summary(other_market)], "count": 2}


def test_list_filters_by_province_kab_kota_and_name(client, market, other_market):
    bogor = factories.market(name="Pasar Bogor", regency_code="32.71")

    by_province = client.get(LIST_URL, {"wilayah": "32"}).json()
    by_city = client.get(LIST_URL, {"wilayah": "32.71"}).json()
    by_name = client.get(LIST_URL, {"q": " cihapit "}).json()
    by_city_name = client.get(LIST_URL, {"q": "kota 34.71"}).json()

    assert by_province == {"items": [summary(bogor), summary(market)], "count": 2}
    assert by_city == {"items": [summary(bogor)], "count": 1}
    assert by_name == {"items": [summary(market)], "count": 1}
    assert by_city_name == {"items": [summary(other_market)], "count": 1}


def test_list_treats_empty_fields_as_not_given_like_the_finder_form(client, market, other_market):
    response = client.get(LIST_URL, {"wilayah": "", "q": "", "lat": "", "lng": ""})

    assert response.json() == {"items": [summary(market), summary(other_market)], "count": 2}


def test_list_near_a_point_is_nearest_first_with_distance(client):
    near = factories.market(name="Pasar Dekat", latitude=-6.9100, longitude=107.6100)
    farther = factories.market(name="Pasar Agak Jauh", latitude=-6.9500, longitude=107.6500)
    factories.market(name="Pasar Jakarta", regency_code="31.71", latitude=-6.1754, longitude=106.8272)  # ~120 km

    # wilayah and q are ignored when a point is given, as on the finder page.
    response = client.get(LIST_URL, {"lat": "-6.9097", "lng": "107.6097", "wilayah": "31", "q": "jakarta"})

    assert response.status_code == 200
    assert response.json() == {"items": [summary(near, 0.05), summary(farther, 6.31)], "count": 2}


def test_list_pages_with_limit_and_offset(client):
    markets = [factories.market(name=f"Pasar {letter}") for letter in "ABCDE"]

    response = client.get(LIST_URL, {"limit": 2, "offset": 1})

    assert response.json() == {"items": [summary(markets[1]), summary(markets[2])], "count": 5}


def test_list_near_pages_too(client):
    markets = [factories.market(name=f"Pasar {n}", latitude=-6.9 - n / 100, longitude=107.6) for n in range(4)]

    response = client.get(LIST_URL, {"lat": "-6.9", "lng": "107.6", "limit": 2, "offset": 2})

    body = response.json()
    assert [item["slug"] for item in body["items"]] == [markets[2].slug, markets[3].slug]
    assert body["count"] == 4


@pytest.mark.parametrize("size", [1, 30])
def test_list_query_count_does_not_grow_with_page(client, django_assert_num_queries, size):
    for n in range(size):
        factories.market(name=f"Pasar {n:02d}", regency_code=f"32.{n % 3 + 71}")

    with django_assert_num_queries(2):  # count + page, regions joined
        assert len(client.get(LIST_URL, {"limit": 100}).json()["items"]) == size
    with django_assert_num_queries(3):  # + the region lookup
        assert client.get(LIST_URL, {"wilayah": "32"}).status_code == 200
    with django_assert_num_queries(1):  # one bounding-box query, paginated in memory
        assert client.get(LIST_URL, {"lat": "-6.9", "lng": "107.6"}).status_code == 200


@pytest.mark.parametrize(
    ("params", "loc", "message"),
    [
        ({"lat": "-6.9"}, ["query", "lng"], "Value error, Give both lat and lng, or neither."),
        ({"lat": "-6.9", "lng": ""}, ["query", "lng"], "Value error, Give both lat and lng, or neither."),
        ({"lng": "107.6"}, ["query", "lng"], "Value error, Give both lat and lng, or neither."),
        ({"lat": "-12", "lng": "107.6"}, ["query", "lat"], "Input should be greater than or equal to -11.5"),
        ({"lat": "-6.9", "lng": "200"}, ["query", "lng"], "Input should be less than or equal to 141.5"),
        ({"lat": "nan", "lng": "107.6"}, ["query", "lat"], "Input should be a finite number"),
        (
            {"lat": "utara", "lng": "107.6"},
            ["query", "lat"],
            "Input should be a valid number, unable to parse string as a number",
        ),
        ({"q": "x" * 81}, ["query", "q"], "String should have at most 80 characters"),
        ({"q": "pasar\x00"}, ["query", "q"], "String should match pattern '^[^\\x00]*$'"),
        ({"wilayah": "jawa barat"}, ["query", "wilayah"], "String should match pattern '^[0-9]{2}(\\.[0-9]{2}){0,2}$'"),
        ({"limit": "101"}, ["query", "limit"], "Input should be less than or equal to 100"),
        ({"limit": "0"}, ["query", "limit"], "Input should be greater than or equal to 1"),
        ({"offset": "10001"}, ["query", "offset"], "Input should be less than or equal to 10000"),
        ({"offset": str(10**30)}, ["query", "offset"], "Input should be less than or equal to 10000"),
    ],
)
def test_list_refuses_bad_parameters_before_touching_the_database(
    client, market, django_assert_num_queries, params, loc, message
):
    with django_assert_num_queries(0):
        response = client.get(LIST_URL, params)

    assert response.status_code == 422
    [issue] = response.json()["detail"]
    assert issue["loc"] == loc
    assert issue["msg"] == message


@pytest.mark.parametrize(
    ("code", "kind", "message"),
    [
        ("99", "unknown_region", "No region has this code."),
        ("32.73.01", "region_level", "Give a province or kab/kota code."),
    ],
)
def test_list_refuses_unknown_or_district_region_and_only_reads(client, market, code, kind, message):
    Region.objects.create(code="32.73.01", name="Sumur Bandung", level=3, kind="kecamatan", parent=market.region)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, {"wilayah": code})

    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": kind, "loc": ["query", "wilayah"], "msg": message}]}
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)


def test_detail_has_hours_delivery_region_and_categories(client, market):
    sayur = factories.stall(market=market)
    factories.stall(market=market)
    bumbu = factories.stall(market=market, category_slug="bumbu")
    closed = factories.stall(market=market, category_slug="daging")
    closed.is_open = False
    closed.save(update_fields=["is_open"])
    Category.objects.filter(slug="bumbu").update(name="Bumbu dapur", position=1)

    response = client.get(f"/api/v1/markets/{market.slug}")

    assert response.status_code == 200
    assert sayur.category.position == 0
    assert bumbu.category.slug == "bumbu"
    assert response.json() == {
        "slug": "pasar-cihapit",
        "name": "Pasar Cihapit",
        "kind": "rakyat",
        "operator_name": "",
        "operator_kind": "dinas",
        "address": "Jl. Contoh",
        "description": "",
        "region": {
            "code": "32.73",
            "name": "Kota 32.73",
            "kind": "kota",
            "province": {"code": "32", "name": "Provinsi 32"},
        },
        "latitude": -6.9097,
        "longitude": 107.6227,
        "coordinates_approximate": False,
        "timezone": "Asia/Jakarta",
        "opens_at": "04:00:00",
        "closes_at": "14:00:00",
        "open_days": [1, 2, 3, 4, 5, 6, 7],
        "order_cutoff": "11:00:00",
        "delivery": {"radius_km": "5.0", "base_fee": 8000, "fee_per_km": 1500, "min_fee": 8000, "max_fee": 15000},
        "pickup_point": "Pintu utama",
        "categories": [
            {"slug": "sayur", "name": "Sayur-mayur", "stall_count": 2},
            {"slug": "bumbu", "name": "Bumbu dapur", "stall_count": 1},
        ],
    }


def test_detail_takes_two_queries(client, market, django_assert_num_queries):
    for _ in range(5):
        factories.stall(market=market)

    with django_assert_num_queries(2):  # market with region and province, categories with counts
        assert client.get(f"/api/v1/markets/{market.slug}").status_code == 200


def test_detail_of_unknown_or_inactive_market_is_404(client, market):
    Market.objects.filter(pk=market.pk).update(is_active=False)

    inactive = client.get(f"/api/v1/markets/{market.slug}")
    unknown = client.get("/api/v1/markets/pasar-entah")

    assert (inactive.status_code, inactive.json()) == (404, {"detail": "Market not found."})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Market not found."})


@pytest.mark.parametrize("slug", ["pasar%00cihapit", "pasar.cihapit", "x" * 141])
def test_detail_refuses_malformed_slug_without_a_query(client, django_assert_num_queries, slug):
    with django_assert_num_queries(0):
        response = client.get(f"/api/v1/markets/{slug}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "slug"]
