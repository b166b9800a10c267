"""End to end in Chromium: an officer opens the dashboard, drills down to a market, downloads a CSV."""

import random
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from pasar.accounts.models import OfficerAssignment
from pasar.dashboards.aggregation import aggregate_day
from pasar.dashboards.tests import builders
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER_PHONE = "+6281300000099"


def test_officer_drills_down_and_downloads_a_csv(live_server, browser, media_root):
    rng = random.Random(3)
    world = builders.world(rng, markets=2, stalls=2, regency_codes=("32.73",))
    today = timezone.localdate()
    days = builders.day_list(today - timedelta(days=2), 3)
    builders.orders(rng, world, days=days, n=15)
    for day in days:
        aggregate_day(day)
    officer = factories.user(name="Bu Dinas", phone=OFFICER_PHONE)
    OfficerAssignment.objects.create(user=officer, region=factories.region("32"))
    market = world.markets[0]

    context = browser.new_context(viewport={"width": 360, "height": 740}, accept_downloads=True)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    context.set_default_timeout(30_000)  # a loaded 2-core machine serves the first page slowly
    page = context.new_page()
    page.goto(f"{live_server.url}/akun/masuk/?next=/dinas/")
    page.locator("input[name=username]").fill("081300000099")
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(f"{live_server.url}/dinas/wilayah/32/")
    assert page.locator("svg.chart").count() >= 2

    page.get_by_role("link", name="Kota 32.73").click()
    page.wait_for_url(f"{live_server.url}/dinas/wilayah/32.73/**")
    page.get_by_role("link", name=market.name).click()
    page.wait_for_url(f"{live_server.url}/dinas/pasar/{market.slug}/**")
    assert page.locator("h1").inner_text() == market.name

    page.locator("select[name=kind]").select_option("stalls")
    page.locator("select[name=format]").select_option("csv")
    page.get_by_role("button", name="Prepare the file").click()
    page.wait_for_url(f"{live_server.url}/ekspor/*/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the file").click()
    content = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert content.splitlines()[0].startswith("Stall,Trader,Orders")
    assert len(content.splitlines()) > 1
    context.close()
