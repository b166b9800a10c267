"""Shared steps of the Playwright browser tests."""

from playwright.sync_api import Page

from pasar.accounts.models import User
from pasar.testing import factories


def log_in(page: Page, base: str, user: User, next_path: str, *, password: str = factories.PASSWORD) -> None:
    """Log in through the login form, the way a person does (local number, 08…), and land on ``next_path``."""
    page.goto(f"{base}/akun/masuk/?next={next_path}")
    page.locator("input[name=username]").fill("0" + user.phone.removeprefix("+62"))
    page.locator("input[name=password]").fill(password)
    page.locator("main form button").click()
    page.wait_for_url(f"{base}{next_path}")
