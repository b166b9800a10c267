"""A forgotten PIN and a locked phone: the market's operator hands out a new PIN or lifts the lock."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from pasar.accounts import lockout
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def url(name, market, stall):
    return reverse(f"traders:{name}", kwargs={"slug": market.slug, "stall_id": stall.pk})


def lock(phone):
    anyone = Client()
    for _ in range(10):
        anyone.post("/akun/masuk/", {"username": phone, "password": "salah-sekali"})
    assert lockout.lock_ends_at(phone=phone) is not None


def test_operator_sees_the_lock_and_lifts_it(client, settings, roles, market, stall):
    settings.LANGUAGE_CODE = "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    trader_user = stall.trader.user
    lock(trader_user.phone)
    client.force_login(roles.operator)
    page = client.get(reverse("traders:operator-market", kwargs={"slug": market.slug})).content.decode()
    assert "Locked: too many wrong PINs" in page
    done = client.post(url("stall-unlock", market, stall), follow=True)
    assert "can log in again" in done.content.decode()
    assert lockout.lock_ends_at(phone=trader_user.phone) is None
    ok = Client().post("/akun/masuk/", {"username": trader_user.phone, "password": factories.PASSWORD})
    assert ok.status_code == 302


def test_a_new_pin_works_once_and_must_be_replaced(client, roles, market, stall):
    trader_user = stall.trader.user
    lock(trader_user.phone)
    client.force_login(roles.operator)
    response = client.post(url("stall-pin-reset", market, stall))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    found = re.search(r'id="login-pin"[^>]*>(\d{6})<', response.content.decode())
    assert found is not None
    pin = found.group(1)
    trader = Client()
    login = trader.post("/akun/masuk/", {"username": trader_user.phone, "password": pin})
    assert login.status_code == 302  # the lock went with the old PIN
    assert trader.get("/pedagang/harga/")["Location"].startswith("/akun/pin/")
    trader_user.refresh_from_db()
    assert trader_user.must_change_password
    assert not trader_user.check_password(factories.PASSWORD)


def test_another_markets_operator_can_do_neither(client, roles, other_market, stall):
    lock(stall.trader.user.phone)
    client.force_login(roles.other_operator)
    for name in ("stall-pin-reset", "stall-unlock"):
        assert client.post(url(name, other_market, stall)).status_code == 404
    stall.trader.user.refresh_from_db()
    assert stall.trader.user.check_password(factories.PASSWORD)
    assert lockout.lock_ends_at(phone=stall.trader.user.phone) is not None
