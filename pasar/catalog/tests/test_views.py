import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pasar.catalog.models import Commodity
from pasar.markets.models import Market
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    """A client that chose English (the site answers in Indonesian unless a visitor picks a language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def fill(market, stalls=3, products=4):
    """Stalls across two categories, each with a few products."""
    made = []
    for i in range(stalls):
        stall = factories.stall(market=market, category_slug="sayur" if i % 2 else "bumbu")
        for j in range(products):
            factories.product(stall=stall, name=f"Produk {i}-{j}", price=1000 + j, available=j != 0)
        made.append(stall)
    return made


def get_counting(client, url, **extra):
    """(response, number of queries, SQL that is not a SELECT)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    writes = [q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    return response, len(captured), writes


# Market page


def test_market_page_lists_open_stalls_with_counts(client, market):
    sayur = factories.stall(market=market, category_slug="sayur")
    factories.product(stall=sayur, name="Kangkung")
    factories.product(stall=sayur, name="Bayam", available=False)
    closed = factories.stall(market=market, category_slug="sayur")
    closed.is_open = False
    closed.save(update_fields=["is_open"])

    response = client.get(f"/pasar/{market.slug}/")

    assert response.status_code == 200
    assert [s.pk for s in response.context["stalls"]] == [sayur.pk]
    assert response.context["stalls"][0].product_count == 1
    assert "1 product" in response.text
    assert f'href="/lapak/{sayur.pk}/"' in response.text
    assert f'href="/lapak/{closed.pk}/"' not in response.text
    assert 'id="results"' in response.text  # where htmx search results land


def test_market_page_filters_by_category(client, market):
    sayur = factories.stall(market=market, category_slug="sayur")
    bumbu = factories.stall(market=market, category_slug="bumbu")

    response = client.get(f"/pasar/{market.slug}/", {"kategori": "bumbu"})

    assert [s.pk for s in response.context["stalls"]] == [bumbu.pk]
    assert response.context["chosen"].slug == "bumbu"
    assert sorted((c.slug, c.stall_count) for c in response.context["categories"]) == [("bumbu", 1), ("sayur", 1)]
    everything = client.get(f"/pasar/{market.slug}/", {"kategori": "tidak-ada"})
    assert everything.context["chosen"] is None
    assert sorted(s.pk for s in everything.context["stalls"]) == sorted([sayur.pk, bumbu.pk])


def test_market_page_of_a_closed_or_unknown_market_is_404(client, market):
    Market.objects.filter(pk=market.pk).update(is_active=False)
    assert client.get(f"/pasar/{market.slug}/").status_code == 404
    assert client.get("/pasar/tidak-ada/").status_code == 404


def test_market_page_queries_stay_few_and_constant_as_stalls_double(client, market, django_assert_max_num_queries):
    fill(market, stalls=4)
    with django_assert_max_num_queries(6):
        client.get(f"/pasar/{market.slug}/")
    _response, few, _writes = get_counting(client, f"/pasar/{market.slug}/")
    fill(market, stalls=4)
    response, many, writes = get_counting(client, f"/pasar/{market.slug}/")
    assert len(response.context["stalls"]) == 8
    assert many == few
    assert writes == []


# Stall page


def test_stall_page_lists_products_available_first(client, stall):
    tomat = factories.product(stall=stall, name="Tomat", unit="kg", price=12000)
    bayam = factories.product(stall=stall, name="Bayam", price=2500, available=False)
    kangkung = factories.product(stall=stall, name="Kangkung", price=3000)

    response = client.get(f"/lapak/{stall.pk}/")

    assert response.status_code == 200
    assert [p.pk for p in response.context["stall"].products.all()] == [kangkung.pk, tomat.pk, bayam.pk]
    assert "Rp12.000" in response.text
    assert "Not available today" in response.text


def test_stall_page_of_a_closed_stall_or_closed_market_is_404(client, market, stall):
    stall.is_open = False
    stall.save(update_fields=["is_open"])
    assert client.get(f"/lapak/{stall.pk}/").status_code == 404
    other = factories.stall(market=market)
    Market.objects.filter(pk=market.pk).update(is_active=False)
    assert client.get(f"/lapak/{other.pk}/").status_code == 404
    assert client.get("/lapak/999999/").status_code == 404


def test_stall_page_queries_do_not_grow_with_products(client, stall):
    for i in range(3):
        factories.product(stall=stall, name=f"Produk {i}")
    _response, few, _writes = get_counting(client, f"/lapak/{stall.pk}/")
    for i in range(3, 12):
        factories.product(stall=stall, name=f"Produk {i}")
    response, many, writes = get_counting(client, f"/lapak/{stall.pk}/")
    assert response.text.count('class="prod"') == 12
    assert many == few <= 4
    assert writes == []


# Product page


def test_product_page_shows_price_unit_and_stall(client, stall):
    product = factories.product(stall=stall, name="Bawang Merah", unit="kg", price=38500, stock=7)

    response, queries, writes = get_counting(client, f"/produk/{product.pk}/")

    assert response.status_code == 200
    assert "Bawang Merah" in response.text
    assert "Rp38.500" in response.text
    assert "7 in stock" in response.text
    assert f'href="/lapak/{stall.pk}/"' in response.text
    assert queries <= 3
    assert writes == []


def test_product_page_of_a_closed_stall_or_unknown_product_is_404(client, product, stall):
    stall.is_open = False
    stall.save(update_fields=["is_open"])
    assert client.get(f"/produk/{product.pk}/").status_code == 404
    assert client.get("/produk/999999/").status_code == 404


# Search


@pytest.fixture
def chili(vocabulary, market, other_market):
    stall = factories.stall(market=market, category_slug="bumbu")
    rawit = Commodity.objects.get(name="Cabai Rawit Merah")
    found = factories.product(stall=stall, name="Cabai Rawit Merah", unit="kg", price=40000, commodity_obj=rawit)
    factories.product(stall=stall, name="Kangkung", unit="ikat", price=3000)
    factories.product(stall=factories.stall(market=other_market), name="Cabai Rawit", price=1, commodity_obj=rawit)
    return found


def test_search_page_finds_by_synonym_in_this_market_only(client, market, chili):
    response, _queries, writes = get_counting(client, f"/pasar/{market.slug}/cari/", data={"q": "cabe"})

    assert response.status_code == 200
    assert response.context["results"] == [chili]
    assert "Cabai Rawit Merah" in response.text
    assert "Rp40.000" in response.text
    assert "<html" in response.text
    assert writes == []


def test_search_for_htmx_returns_only_the_results_fragment(client, market, chili):
    response = client.get(f"/pasar/{market.slug}/cari/", {"q": "cengek"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    text = response.text.strip()
    assert text.startswith("<h2>")
    assert "<html" not in text
    assert "<form" not in text
    assert 'id="results"' not in text
    assert f'href="/produk/{chili.pk}/"' in text
    assert "Kangkung" not in text


def test_search_says_when_nothing_is_found(client, market, chili):
    response = client.get(f"/pasar/{market.slug}/cari/", {"q": "durian"})
    assert response.context["results"] == []
    assert "Nothing found in this market. Try another word." in response.text


def test_search_without_a_query_shows_just_the_form(client, market, chili):
    response, queries, _writes = get_counting(client, f"/pasar/{market.slug}/cari/", data={"q": "   "})
    assert response.context["results"] == []
    assert response.context["query"] == ""
    assert "Nothing found" not in response.text
    assert queries == 1  # the market only


def test_search_caps_a_very_long_query(client, market, chili):
    response = client.get(f"/pasar/{market.slug}/cari/", {"q": "cabe " + "x" * 500})
    assert response.status_code == 200
    assert len(response.context["query"]) == 80


def test_search_in_an_unknown_market_is_404(client, chili):
    assert client.get("/pasar/tidak-ada/cari/", {"q": "cabe"}).status_code == 404
