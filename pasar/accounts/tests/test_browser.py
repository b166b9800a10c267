"""In Chromium on a 360-px phone: after too many wrong PINs the right one is refused, with the time to wait."""

import pytest
from playwright.sync_api import expect

from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def test_twelve_wrong_pins_lock_the_phone_with_an_indonesian_message(live_server, phone):
    factories.user(name="Bu Euis", phone="+6281234560001")
    page = phone
    page.goto(f"{live_server.url}/akun/masuk/", timeout=120_000)  # the server's first request imports the URLconf
    for n in range(12):  # each answer is the login page again, with the form
        page.locator("input[name=username]").fill("0812-3456-0001")
        page.locator("input[name=password]").fill(f"salah{n:02d}")
        page.locator("main form button").click()
        if n < 9:
            expect(page.locator(".errorlist")).to_contain_text("Nomor HP atau kata sandi salah")
    page.locator("input[name=username]").fill("0812-3456-0001")
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("main form button").click()
    message = page.locator("#login-locked")
    expect(message).to_contain_text("Terlalu banyak percobaan yang salah. Coba lagi dalam 15 menit")
    expect(message).to_contain_text("pengelola pasar")
    assert page.url.endswith("/akun/masuk/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
