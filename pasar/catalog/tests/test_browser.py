"""End to end in Chromium: a trader updates prices on a phone, a buyer searches a market."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from pasar.catalog.models import Commodity, Product
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_VIEWPORT = {"width": 360, "height": 740}
TRADER_PHONE = "+6281234567890"


def _new_context(browser, live_server, **options):
    """A 360×740 phone. English chosen on the site (the language cookie) so assertions read
    the msgids whatever the Indonesian translations say."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, **options)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def phone(browser, live_server):
    context = _new_context(browser, live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def trader_stall(market):
    trader = factories.trader(name="Euis Kurniasih", phone=TRADER_PHONE)
    return factories.stall(market=market, trader_obj=trader)


@pytest.fixture
def trader_products(trader_stall):
    return {
        "kangkung": factories.product(stall=trader_stall, name="Kangkung", unit="ikat", price=3000),
        "cabai": factories.product(stall=trader_stall, name="Cabai Rawit Merah", unit="kg", price=40000),
        "tomat": factories.product(stall=trader_stall, name="Tomat", unit="kg", price=12000),
    }


def _snapshot():
    return {p.pk: (p.price, p.available, p.stock, p.price_updated_at) for p in Product.objects.order_by("pk")}


def _log_in(page, base_url):
    page.goto(f"{base_url}/akun/masuk/")
    page.locator("input[name=username]").fill("081234567890")
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(f"{base_url}/pedagang/harga/")


def test_trader_updates_prices_and_availability_in_one_save(live_server, phone, trader_products, tmp_path, market):
    elsewhere = factories.product(stall=factories.stall(market=market), name="Kangkung", price=2500)
    kangkung, cabai, tomat = trader_products["kangkung"], trader_products["cabai"], trader_products["tomat"]
    before = _snapshot()

    _log_in(phone, live_server.url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    phone.locator(f"#price-{kangkung.pk}").fill("3500")
    phone.locator(f"#price-{cabai.pk}").fill("12.500")
    phone.locator(f"input[name=available-{tomat.pk}]").uncheck()
    phone.screenshot(path=str(tmp_path / "trader-prices-360.png"), full_page=True)
    phone.locator("form .sticky button").click()

    phone.wait_for_url(f"{live_server.url}/pedagang/harga/")
    expect(phone.locator(".messages li.success")).to_have_text("Saved. 3 products changed.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    assert (tmp_path / "trader-prices-360.png").stat().st_size > 0
    after = _snapshot()
    assert after[kangkung.pk][:3] == (3500, True, None)
    assert after[cabai.pk][:3] == (12500, True, None)
    assert after[tomat.pk] == (12000, False, None, before[tomat.pk][3])  # price unchanged: timestamp kept
    assert after[kangkung.pk][3] is not None
    assert after[kangkung.pk][3] != before[kangkung.pk][3]
    assert after[elsewhere.pk] == before[elsewhere.pk]
    # The form shows what is now stored.
    expect(phone.locator(f"#price-{cabai.pk}")).to_have_value("12500")
    expect(phone.locator(f"input[name=available-{tomat.pk}]")).not_to_be_checked()


@pytest.mark.parametrize("bad", ["abc", "0"])
def test_a_bad_price_marks_its_row_and_saves_nothing(live_server, phone, trader_products, bad):
    kangkung, cabai, tomat = trader_products["kangkung"], trader_products["cabai"], trader_products["tomat"]
    before = _snapshot()

    _log_in(phone, live_server.url)
    phone.locator(f"#price-{kangkung.pk}").fill("3500")  # valid, but in the same refused save
    phone.locator(f"#price-{cabai.pk}").fill(bad)
    phone.locator(f"input[name=available-{tomat.pk}]").uncheck()
    phone.locator("form .sticky button").click()

    expect(phone.locator(f"#row-{cabai.pk} .errorlist")).to_have_text(
        "Write the price in whole rupiah, e.g. 12500 or 12.500."
    )
    expect(phone.locator(f"#row-{kangkung.pk} .errorlist")).to_have_count(0)
    expect(phone.locator(f"#row-{tomat.pk} .errorlist")).to_have_count(0)
    expect(phone.locator(".messages li.error")).to_have_text("Nothing was saved: please fix the rows marked in red.")
    # What the trader typed stays on screen to be fixed.
    expect(phone.locator(f"#price-{cabai.pk}")).to_have_value(bad)
    expect(phone.locator(f"#price-{kangkung.pk}")).to_have_value("3500")
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("stock", "²", "Stock must be a whole number from 0 to 1.000.000, or empty."),  # isdigit() but not int()
        ("stock", "9999999999999999999999999", "Stock must be a whole number from 0 to 1.000.000, or empty."),
        ("price", "9999999999999999999999999", "Write the price in whole rupiah, e.g. 12500 or 12.500."),
    ],
)
def test_a_bad_or_huge_number_is_a_row_error_not_a_500(live_server, phone, trader_products, field, bad, message):
    """The issue's 500s: ``stock-3=²`` (ValueError) and 25 nines (OverflowError) on the price screen."""
    tomat = trader_products["tomat"]
    Product.objects.filter(pk=tomat.pk).update(stock=5)
    before = _snapshot()

    _log_in(phone, live_server.url)
    phone.locator(f"[name={field}-{tomat.pk}]").fill(bad)
    phone.locator("form .sticky button").click()

    expect(phone.locator(f"#row-{tomat.pk} .errorlist")).to_have_text(message)
    expect(phone.locator(".messages li.error")).to_have_text("Nothing was saved: please fix the rows marked in red.")
    expect(phone.locator(f"[name={field}-{tomat.pk}]")).to_have_value(bad)
    assert _snapshot() == before


@pytest.fixture
def searchable_market(vocabulary, market, other_market):
    stall = factories.stall(market=market, category_slug="bumbu")
    rawit = Commodity.objects.get(name="Cabai Rawit Merah")
    shallot = Commodity.objects.get(name="Bawang Merah")
    factories.product(stall=stall, name="Cabai Rawit Merah", unit="kg", price=40000, commodity_obj=rawit)
    factories.product(stall=stall, name="Bawang Merah", unit="kg", price=38000, commodity_obj=shallot)
    factories.product(stall=stall, name="Kangkung", unit="ikat", price=3000)
    return market


def _open_market(page, base_url, market):
    page.goto(f"{base_url}/")
    page.get_by_role("link", name=market.name).click()
    page.wait_for_url(f"{base_url}/pasar/{market.slug}/")


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("cabe", "Cabai Rawit Merah", "Bawang Merah"),
        ("brambang", "Bawang Merah", "Cabai Rawit Merah"),
        ("bawang merh", "Bawang Merah", "Cabai Rawit Merah"),
    ],
)
def test_buyer_finds_a_product_by_synonym_with_live_results(
    live_server, phone, searchable_market, query, found, not_found
):
    _open_market(phone, live_server.url, searchable_market)
    phone.evaluate("window.stillThisPage = true")
    phone.get_by_role("searchbox").press_sequentially(query, delay=20)

    results = phone.locator("#results")
    expect(results.get_by_text(found, exact=True)).to_be_visible()
    expect(results.get_by_text(not_found, exact=True)).to_have_count(0)
    expect(results.get_by_text("Kangkung", exact=True)).to_have_count(0)
    assert phone.evaluate("window.stillThisPage === true")  # htmx swapped results in, no page load
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]


@pytest.mark.parametrize(
    ("query", "found"), [("cabe", "Cabai Rawit Merah"), ("brambang", "Bawang Merah"), ("bawang merh", "Bawang Merah")]
)
def test_buyer_finds_a_product_by_synonym_without_javascript(live_server, browser, searchable_market, query, found):
    context = _new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        _open_market(page, live_server.url, searchable_market)
        page.get_by_role("searchbox").fill(query)
        page.locator("form[role=search] button").click()
        page.wait_for_url(f"{live_server.url}/pasar/{searchable_market.slug}/cari/?q=*")
        results = page.locator("#results li")
        expect(results).to_have_count(1)
        expect(results.get_by_text(found, exact=True)).to_be_visible()
    finally:
        context.close()
