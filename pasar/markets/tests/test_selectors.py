import pytest

from pasar.core.geo import haversine_km
from pasar.markets.models import Market
from pasar.markets.selectors import (
    market_by_slug,
    market_categories,
    market_list,
    markets_near,
    regions_with_markets,
)
from pasar.regions.models import Region
from pasar.testing import factories
from pasar.traders.models import Stall

pytestmark = pytest.mark.django_db

CIHAPIT = (-6.9097, 107.6227)


@pytest.fixture
def markets():
    """Three markets in Jawa Barat (two in Kota Bandung), one in Yogyakarta, one closed."""
    made = {
        "cihapit": factories.market(name="Pasar Cihapit", regency_code="32.73", latitude=-6.9097, longitude=107.6227),
        "kosambi": factories.market(name="Pasar Kosambi", regency_code="32.73", latitude=-6.9205, longitude=107.6180),
        "bogor": factories.market(name="Pasar Bogor", regency_code="32.71", latitude=-6.6044, longitude=106.7990),
        "beringharjo": factories.market(
            name="Pasar Beringharjo", regency_code="34.71", latitude=-7.7989, longitude=110.3657
        ),
    }
    closed = factories.market(name="Pasar Tutup", regency_code="32.73", latitude=-6.9100, longitude=107.6230)
    Market.objects.filter(pk=closed.pk).update(is_active=False)
    Region.objects.filter(code="32.73").update(name="Kota Bandung")
    Region.objects.filter(code="32.71").update(name="Kota Bogor")
    return made


def names(markets):
    return [m.name for m in markets]


def test_market_list_gives_active_markets_by_name(markets):
    assert names(market_list()) == ["Pasar Beringharjo", "Pasar Bogor", "Pasar Cihapit", "Pasar Kosambi"]


def test_market_list_finds_by_market_or_city_name(markets):
    assert names(market_list(query="cihapit")) == ["Pasar Cihapit"]
    assert names(market_list(query="Bandung")) == ["Pasar Cihapit", "Pasar Kosambi"]
    assert names(market_list(query="bogor")) == ["Pasar Bogor"]
    assert names(market_list(query="tutup")) == []
    assert names(market_list(query="durian")) == []


def test_market_list_by_province_takes_every_kab_kota_in_it(markets):
    jabar = Region.objects.get(code="32")
    assert names(market_list(region=jabar)) == ["Pasar Bogor", "Pasar Cihapit", "Pasar Kosambi"]


def test_market_list_by_kab_kota(markets):
    assert names(market_list(region=Region.objects.get(code="32.73"))) == ["Pasar Cihapit", "Pasar Kosambi"]
    assert names(market_list(region=Region.objects.get(code="34.71"))) == ["Pasar Beringharjo"]


def test_market_list_by_region_and_name(markets):
    jabar = Region.objects.get(code="32")
    assert names(market_list(region=jabar, query="kosambi")) == ["Pasar Kosambi"]
    assert names(market_list(region=jabar, query="beringharjo")) == []


def test_market_list_is_one_query(markets, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [(m.name, m.region.name, str(m.region.parent)) for m in market_list()]
    assert rows[2] == ("Pasar Cihapit", "Kota Bandung", "Provinsi 32")


def test_markets_near_sorts_by_distance_and_skips_closed_and_far(markets):
    found = markets_near(latitude=CIHAPIT[0], longitude=CIHAPIT[1])

    assert [f.market.name for f in found] == ["Pasar Cihapit", "Pasar Kosambi"]
    assert found[0].distance_km == 0.0
    assert found[1].distance_km == pytest.approx(haversine_km(*CIHAPIT, -6.9205, 107.6180))
    assert found[1].distance_km == pytest.approx(1.3, abs=0.05)


def test_markets_near_with_a_wider_radius_and_a_limit(markets):
    wide = markets_near(latitude=CIHAPIT[0], longitude=CIHAPIT[1], radius_km=150)
    assert [f.market.name for f in wide] == ["Pasar Cihapit", "Pasar Kosambi", "Pasar Bogor"]
    assert [f.distance_km for f in wide] == sorted(f.distance_km for f in wide)
    limited = markets_near(latitude=CIHAPIT[0], longitude=CIHAPIT[1], radius_km=150, limit=2)
    assert [f.market.name for f in limited] == ["Pasar Cihapit", "Pasar Kosambi"]
    everything = markets_near(latitude=CIHAPIT[0], longitude=CIHAPIT[1], radius_km=1000, limit=None)
    assert len(everything) == 4


def test_markets_near_an_empty_place(markets):
    assert markets_near(latitude=-2.5, longitude=140.7) == []


def test_markets_near_is_one_query_however_many_markets(markets, django_assert_num_queries):
    for i in range(10):
        factories.market(name=f"Pasar Dekat {i}", latitude=-6.91 + i / 1000, longitude=107.62)
    with django_assert_num_queries(1):
        found = markets_near(latitude=CIHAPIT[0], longitude=CIHAPIT[1])
        assert [str(f.market.region.parent) for f in found] == ["Provinsi 32"] * 12


def test_market_by_slug_hides_closed_markets(markets):
    assert market_by_slug("pasar-cihapit") == markets["cihapit"]
    assert market_by_slug("pasar-tutup") is None
    assert market_by_slug("tidak-ada") is None


def test_market_categories_count_open_stalls_only(market):
    factories.stall(market=market, category_slug="sayur")
    factories.stall(market=market, category_slug="sayur")
    closed = factories.stall(market=market, category_slug="ikan")
    closed_sayur = factories.stall(market=market, category_slug="sayur")
    Stall.objects.filter(pk__in=[closed.pk, closed_sayur.pk]).update(is_open=False)
    elsewhere = factories.market(name="Pasar Lain")
    factories.stall(market=elsewhere, category_slug="daging")
    factories.stall(market=elsewhere, category_slug="sayur")
    factories.category("bumbu", "Bumbu")

    found = market_categories(market=market)

    assert [(c.slug, c.stall_count) for c in found] == [("sayur", 2)]  # type: ignore[attr-defined]


def test_regions_with_markets_lists_kab_kota_of_active_markets_by_province_then_name(markets):
    closed = factories.market(name="Pasar Tutup Cimahi", regency_code="32.77")
    Market.objects.filter(pk=closed.pk).update(is_active=False)

    regions = regions_with_markets()

    assert [r.code for r in regions] == ["32.73", "32.71", "34.71"]  # Kota Bandung before Kota Bogor
    assert [r.parent_id for r in regions] == [Region.objects.get(code=c).pk for c in ("32", "32", "34")]
