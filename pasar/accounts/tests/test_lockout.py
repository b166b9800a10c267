"""Login throttling: per phone number and per client address, with the time to wait in the page."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pasar.accounts import lockout
from pasar.testing import factories

pytestmark = pytest.mark.django_db
LOGIN = "/akun/masuk/"


def attempt(client, phone, password="salah-sekali", **extra):  # noqa: S107
    return client.post(LOGIN, {"username": phone, "password": password}, **extra)


def test_twelve_wrong_pins_lock_the_phone_even_for_the_right_one(client):
    user = factories.user(phone="+6281211112222")
    for n in range(12):
        response = attempt(client, "0812-1111-2222" if n % 2 else "+62 812 1111 2222")
        assert response.status_code == (200 if n < 9 else 429), n
    right = attempt(client, "081211112222", factories.PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15" in right.content.decode()
    assert lockout.lock_ends_at(phone=user.phone) is not None


def test_the_page_says_in_indonesian_how_long_to_wait(client, time_machine):
    factories.user(phone="+6281211113333")
    for _ in range(10):
        response = attempt(client, "081211113333")
    body = response.content.decode()
    assert response.status_code == 429
    assert "Terlalu banyak percobaan yang salah. Coba lagi dalam 15 menit" in body
    time_machine.move_to(timezone.now() + timedelta(minutes=6))
    again = attempt(client, "081211113333", factories.PASSWORD)
    assert "Coba lagi dalam 9 menit" in again.content.decode()


def test_the_lock_lifts_after_the_cool_off(client, time_machine):
    factories.user(phone="+6281211114444")
    for _ in range(10):
        attempt(client, "081211114444")
    time_machine.move_to(timezone.now() + timedelta(minutes=15, seconds=1))
    ok = attempt(client, "081211114444", factories.PASSWORD)
    assert ok.status_code == 302
    assert client.session["_auth_user_id"]


def test_nine_failures_then_the_right_pin_logs_in(client):
    factories.user(phone="+6281211115555")
    for _ in range(9):
        attempt(client, "081211115555")
    assert attempt(client, "081211115555", factories.PASSWORD).status_code == 302


def test_one_pin_across_many_phones_locks_the_address(settings):
    settings.PASAR_LOGIN_FAILURES_PER_IP = 20
    victim = factories.user(phone="+6281299990000")
    client = Client(REMOTE_ADDR="10.1.2.3")
    for n in range(20):
        assert attempt(client, f"+62812888{n:05d}", "123456").status_code == (200 if n < 19 else 429)
    # The address is locked for every phone, the right PIN included; another address is not.
    assert attempt(client, victim.phone, factories.PASSWORD).status_code == 429
    assert attempt(Client(REMOTE_ADDR="10.9.9.9"), victim.phone, factories.PASSWORD).status_code == 302
    assert lockout.lock_ends_at(ip="10.1.2.3") is not None
    assert lockout.lock_ends_at(phone=victim.phone) is None


def test_the_address_behind_a_proxy(settings, rf):
    request = rf.post(LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.1")
    assert lockout.client_ip(request) == "127.0.0.1"
    settings.PASAR_PROXY_COUNT = 1
    assert lockout.client_ip(request) == "10.0.0.1"
    settings.PASAR_PROXY_COUNT = 2
    assert lockout.client_ip(request) == "1.2.3.4"
    bogus = rf.post(LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>, x")
    assert lockout.client_ip(bogus) == "127.0.0.1"


def test_unlock_forgets_the_failures(client):
    user = factories.user(phone="+6281211116666")
    for _ in range(10):
        attempt(client, "081211116666")
    assert lockout.locked_phones([user.phone]) == {user.phone}
    assert lockout.unlock(user.phone) >= 1
    assert not AccessAttempt.objects.filter(username=user.phone).exists()
    assert attempt(client, "081211116666", factories.PASSWORD).status_code == 302


def test_wrong_current_pins_on_the_pin_page_count_and_end_the_session(client):
    user = factories.user(phone="+6281211117777")
    client.force_login(user)
    url = reverse("accounts:pin-change")
    for n in range(10):
        response = client.post(url, {"old_password": f"salah{n}", "new_password1": "x", "new_password2": "x"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert lockout.lock_ends_at(phone=user.phone) is not None
    stored = AccessAttempt.objects.get(username=user.phone).post_data
    assert "salah" not in stored  # no PIN, old or new, kept in clear
    assert "new_password1=x" not in stored
    assert "old_password=****" in stored


def test_admin_unlocks_from_the_user_list(client):
    user = factories.user(phone="+6281211118888")
    for _ in range(10):
        attempt(client, "081211118888")
    admin = factories.user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/", {"action": "unlock_login", "_selected_action": [user.pk]}, follow=True
    )
    assert response.status_code == 200
    assert lockout.lock_ends_at(phone=user.phone) is None
