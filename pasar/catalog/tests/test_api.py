from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pasar.catalog.models import Product
from pasar.markets.models import Market
from pasar.testing import factories
from pasar.traders.models import Stall

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    """A client that chose English (the site answers in Indonesian unless a visitor picks a language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def stall_summary(stall: Stall, product_count: int) -> dict[str, object]:
    return {
        "id": stall.pk,
        "name": stall.name,
        "kind": "lapak",
        "category": {"slug": stall.category.slug, "name": stall.category.name},
        "block": "A",
        "row": "1",
        "number": stall.number,
        "location": f"Blok A · Los 1 · No. {stall.number}",
        "description": "",
        "product_count": product_count,
    }


def product_summary(product: Product, **changes: object) -> dict[str, object]:
    return {
        "id": product.pk,
        "name": product.name,
        "unit": product.unit,
        "price": product.price,
        "weighed": product.weighed,
        "quantity_step": "1.000",
        "quantity_min": "1.000",
        "available": product.available,
        "stock": product.stock,
        "price_updated_at": None,
        "photo": None,
        "thumbnail": None,
        "variant_of": None,
        "size": "",
        "colour": "",
        "motif": "",
        "variants": [],
        **changes,
    }


def stall_ref(stall: Stall) -> dict[str, object]:
    return {"id": stall.pk, "name": stall.name, "location": stall.location}


@pytest.fixture
def trader(db):
    """One trader for every stall of a test: each new trader hashes a password, which is slow."""
    return factories.trader()


def close(stall: Stall) -> None:
    Stall.objects.filter(pk=stall.pk).update(is_open=False)


# Stalls of a market


def test_stalls_are_open_ones_in_layout_order_with_available_product_counts(client, market, other_market, trader):
    second = factories.stall(market=market, trader_obj=trader, number="2")
    first = factories.stall(market=market, trader_obj=trader, number="1", category_slug="bumbu")
    close(factories.stall(market=market, trader_obj=trader, number="3"))
    factories.stall(market=other_market, trader_obj=trader, number="1")
    factories.product(stall=first)
    factories.product(stall=first, name="Bayam")
    factories.product(stall=first, name="Sawi", available=False)

    response = client.get(f"/api/v1/markets/{market.slug}/stalls")

    assert response.status_code == 200
    assert response.json() == {"items": [stall_summary(first, 2), stall_summary(second, 0)], "count": 2}


def test_stalls_filter_by_category(client, market, trader):
    factories.stall(market=market, trader_obj=trader, number="1")
    bumbu = factories.stall(market=market, trader_obj=trader, number="2", category_slug="bumbu")
    close(factories.stall(market=market, trader_obj=trader, number="3", category_slug="daging"))

    chosen = client.get(f"/api/v1/markets/{market.slug}/stalls", {"kategori": "bumbu"}).json()
    only_closed = client.get(f"/api/v1/markets/{market.slug}/stalls", {"kategori": "daging"}).json()
    unknown = client.get(f"/api/v1/markets/{market.slug}/stalls", {"kategori": "mainan"}).json()
    empty = client.get(f"/api/v1/markets/{market.slug}/stalls", {"kategori": ""}).json()

    assert chosen == {"items": [stall_summary(bumbu, 0)], "count": 1}
    assert only_closed == {"items": [], "count": 0}
    assert unknown == {"items": [], "count": 0}
    assert empty["count"] == 2  # an empty field means no filter, as on the market page


def test_stalls_page_with_limit_and_offset(client, market, trader):
    stalls = [factories.stall(market=market, trader_obj=trader, number=str(n)) for n in range(1, 6)]

    response = client.get(f"/api/v1/markets/{market.slug}/stalls", {"limit": 2, "offset": 2})

    assert response.json() == {"items": [stall_summary(stalls[2], 0), stall_summary(stalls[3], 0)], "count": 5}


@pytest.mark.parametrize("size", [1, 25])
def test_stalls_query_count_does_not_grow_with_page(client, market, trader, django_assert_num_queries, size):
    for n in range(size):
        stall = factories.stall(
            market=market, trader_obj=trader, number=f"{n:02d}", category_slug=("sayur", "bumbu")[n % 2]
        )
        factories.product(stall=stall)

    with django_assert_num_queries(3):  # market, count, page with categories and product counts
        assert len(client.get(f"/api/v1/markets/{market.slug}/stalls", {"limit": 100}).json()["items"]) == size
    with django_assert_num_queries(4):  # + the market's categories
        assert client.get(f"/api/v1/markets/{market.slug}/stalls", {"kategori": "sayur"}).status_code == 200


def test_stalls_of_unknown_market_is_404(client):
    response = client.get("/api/v1/markets/pasar-entah/stalls")

    assert (response.status_code, response.json()) == (404, {"detail": "Market not found."})


@pytest.mark.parametrize(
    ("params", "name"),
    [({"kategori": "sayur mayur"}, "kategori"), ({"kategori": "x" * 51}, "kategori"), ({"limit": "500"}, "limit")],
)
def test_stalls_refuse_bad_parameters_without_a_query(client, market, django_assert_num_queries, params, name):
    with django_assert_num_queries(0):
        response = client.get(f"/api/v1/markets/{market.slug}/stalls", params)

    assert response.status_code == 422
    assert [issue["loc"] for issue in response.json()["detail"]] == [["query", name]]


# One stall


def test_stall_detail_lists_every_product_available_first(client, stall):
    kangkung = factories.product(stall=stall, name="Kangkung", price=3000)
    bayam = factories.product(stall=stall, name="Bayam", price=2500, stock=12)
    sawi = factories.product(stall=stall, name="Sawi", available=False)

    response = client.get(f"/api/v1/stalls/{stall.pk}")

    assert response.status_code == 200
    assert response.json() == {
        **stall_summary(stall, 2),
        "market": {"slug": "pasar-cihapit", "name": "Pasar Cihapit"},
        "products": [product_summary(bayam), product_summary(kangkung), product_summary(sawi)],
    }


def test_stall_detail_takes_two_queries(client, stall, django_assert_num_queries):
    for n in range(10):
        factories.product(stall=stall, name=f"Sayur {n}")

    with django_assert_num_queries(3):  # stall with market and category, its products, their variants
        assert len(client.get(f"/api/v1/stalls/{stall.pk}").json()["products"]) == 10


def test_closed_stall_or_inactive_market_or_unknown_id_is_404(client, market, stall, trader):
    closed = factories.stall(market=market, trader_obj=trader)
    close(closed)
    other = factories.market(name="Pasar Tutup")
    in_inactive_market = factories.stall(market=other, trader_obj=trader)
    Market.objects.filter(pk=other.pk).update(is_active=False)

    for stall_id in (closed.pk, in_inactive_market.pk, 10**12):
        response = client.get(f"/api/v1/stalls/{stall_id}")
        assert (response.status_code, response.json()) == (404, {"detail": "Stall not found."})


@pytest.mark.parametrize("raw", ["abc", "0", "-1", str(2**63), "1.5"])
def test_stall_id_out_of_range_is_422_without_a_query(client, django_assert_num_queries, raw):
    with django_assert_num_queries(0):
        response = client.get(f"/api/v1/stalls/{raw}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "stall_id"]


# One product


def test_product_detail(client, stall, media_root):
    rawit = factories.commodity()
    product = factories.product(stall=stall, name="Cabai Rawit Merah", unit="kg", price=40000, commodity_obj=rawit)
    Product.objects.filter(pk=product.pk).update(
        price_updated_at=datetime(2025, 3, 1, 0, 30, tzinfo=UTC),
        quantity_step=Decimal("0.25"),
        quantity_min=Decimal("0.5"),
        photo="products/2025/03/rawit.webp",
        thumbnail="thumbs/2025/03/rawit.webp",
    )

    response = client.get(f"/api/v1/products/{product.pk}")

    assert response.status_code == 200
    assert response.json() == {
        **product_summary(
            product,
            quantity_step="0.250",
            quantity_min="0.500",
            price_updated_at="2025-03-01T07:30:00+07:00",
            photo="http://testserver/media/products/2025/03/rawit.webp",
            thumbnail="http://testserver/media/thumbs/2025/03/rawit.webp",
        ),
        "unit": "kg",
        "weighed": True,
        "commodity": {"slug": "cabai-rawit-merah", "name": "Cabai Rawit Merah"},
        "stall": stall_ref(stall),
        "market": {"slug": "pasar-cihapit", "name": "Pasar Cihapit"},
    }


def test_product_detail_takes_two_queries(client, product, django_assert_num_queries):
    with django_assert_num_queries(2):  # the product with its stall, market and commodity; its variants
        assert client.get(f"/api/v1/products/{product.pk}").json()["commodity"] is None


def test_product_of_closed_stall_or_unknown_is_404(client, stall, product):
    close(stall)

    for product_id in (product.pk, product.pk + 1000):
        response = client.get(f"/api/v1/products/{product_id}")
        assert (response.status_code, response.json()) == (404, {"detail": "Product not found."})


def test_product_id_too_big_is_422(client):
    response = client.get(f"/api/v1/products/{10**30}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "product_id"]


# Search


@pytest.fixture
def shelf(market, other_market, trader):
    """Chilies, shallots and kangkung in ``market``; chilies elsewhere too."""
    rawit = factories.commodity("Cabai Rawit Merah", "cabe rawit, rawit, cengek")
    shallot = factories.commodity("Bawang Merah", "brambang, bamer")
    stall = factories.stall(market=market, trader_obj=trader)
    chili = factories.product(stall=stall, name="Cabai Rawit Merah", unit="kg", price=40000, commodity_obj=rawit)
    onion = factories.product(stall=stall, name="Bawang Merah Brebes", unit="kg", price=45000, commodity_obj=shallot)
    kangkung = factories.product(stall=stall, name="Kangkung", unit="ikat", price=3000)
    elsewhere = factories.stall(market=other_market, trader_obj=trader)
    factories.product(stall=elsewhere, name="Cabai Rawit Merah", unit="kg", price=39000, commodity_obj=rawit)
    return {"stall": stall, "chili": chili, "onion": onion, "kangkung": kangkung}


def search(client, market, **params):
    return client.get(f"/api/v1/markets/{market.slug}/search", params)


def test_search_finds_synonyms_and_typos_in_one_market(client, market, shelf):
    def hit(product: Product) -> dict[str, object]:
        return {**product_summary(product), "stall": stall_ref(shelf["stall"])}

    assert search(client, market, q="cabe").json() == [hit(shelf["chili"])]
    assert search(client, market, q="bamer").json() == [hit(shelf["onion"])]
    assert search(client, market, q="bawang merh").json() == [hit(shelf["onion"])]
    assert search(client, market, q="kangkung yg seger").json() == [hit(shelf["kangkung"])]
    assert search(client, market, q="merah").json() == [hit(shelf["chili"]), hit(shelf["onion"])]


def test_search_limit_and_blank_query(client, market, shelf):
    assert [p["id"] for p in search(client, market, q="merah", limit=1).json()] == [shelf["chili"].pk]
    assert search(client, market, q="   ").json() == []
    assert search(client, market, q="").json() == []


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({}, "q"),
        ({"q": "c" * 81}, "q"),
        ({"q": "cabe", "limit": "41"}, "limit"),
        ({"q": "cabe", "limit": "0"}, "limit"),
    ],
)
def test_search_refuses_bad_parameters_without_a_query(client, market, django_assert_num_queries, params, name):
    with django_assert_num_queries(0):
        response = search(client, market, **params)

    assert response.status_code == 422
    assert [issue["loc"] for issue in response.json()["detail"]] == [["query", name]]


def test_search_in_unknown_market_is_404(client):
    response = client.get("/api/v1/markets/pasar-entah/search", {"q": "cabe"})

    assert (response.status_code, response.json()) == (404, {"detail": "Market not found."})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=80))
def test_search_never_fails_on_any_text(client, market, shelf, q):
    response = search(client, market, q=q)

    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert {hit["stall"]["id"] for hit in body} <= {shelf["stall"].pk}
