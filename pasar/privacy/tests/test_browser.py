"""On a 360-px phone: the notice from the footer, "Data saya", a download of one's data and a deletion request."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pasar.privacy.models import DataRequest
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, accept_downloads=True)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def test_a_buyer_reads_the_notice_downloads_their_data_and_asks_for_deletion(live_server, phone):
    buyer = factories.user(name="Dewi Lestari", phone="+6281377770001")
    page, base = phone, live_server.url
    page.goto(f"{base}/akun/masuk/?next=/", timeout=120_000)  # the server's first request imports the URLconf
    page.locator("input[name=username]").fill("0813-7777-0001")
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(f"{base}/")

    page.locator("#footer-privacy").click()
    expect(page.locator("h1")).to_have_text("Pemberitahuan Privasi Pasar Daring")
    page.get_by_role("link", name="Data saya & PIN").click()
    expect(page.locator("h1")).to_have_text("Data saya")

    with page.expect_download() as download:
        page.locator("#data-download").get_by_role("link", name="JSON").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"][0]["name"] == "Dewi Lestari"

    ask = page.locator("#data-ask")
    ask.locator("select").select_option("deletion")
    ask.get_by_role("button", name="Kirim permintaan").click()
    expect(page.locator("#confirm-errors")).to_contain_text("Centang kotak ini")
    assert not DataRequest.objects.filter(kind="deletion").exists()
    ask = page.locator("#data-ask")
    ask.locator("select").select_option("deletion")
    ask.locator("input[type=checkbox]").check()
    ask.get_by_role("button", name="Kirim permintaan").click()
    expect(page.locator(".messages")).to_contain_text("Permintaan Anda tercatat")
    expect(page.locator("#data-requests")).to_contain_text("Hapus data saya")
    assert DataRequest.objects.get(kind="deletion").user == buyer
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
