"""End to end in Chromium: the price board on a 360-pixel phone, and as printed for the notice board."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from pasar.pricing.services import prices_aggregate_day
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board(market):
    for index, name in enumerate(("Cabai Rawit Merah", "Bawang Merah Brebes Super", "Telur Ayam Ras")):
        commodity = factories.commodity(name=name)
        for price in (40_000 + index * 1000, 42_500 + index * 1000):
            factories.product(
                stall=factories.stall(market=market), name=name, unit="kg", price=price, commodity_obj=commodity
            )
    today = timezone.localdate()
    for back in range(7, -1, -1):
        prices_aggregate_day(day=today - timedelta(days=back))
    return market


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page = context.new_page()
    yield page
    context.close()


def test_board_fits_a_phone_and_prints_without_the_site_chrome(phone, live_server, board):
    phone.goto(f"{live_server.url}/harga/{board.slug}/")

    assert phone.locator("table.board tbody tr").count() == 3
    assert phone.locator("svg.spark").count() == 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    assert phone.locator("header.top").is_visible()

    phone.emulate_media(media="print")

    assert not phone.locator("header.top").is_visible()
    assert not phone.locator("footer.foot").is_visible()
    assert phone.locator("h1").is_visible()
    assert phone.locator("table.board").is_visible()
