"""Logging in by one-time code: sent by SMS or WhatsApp, short expiry, rate limit, lock-out."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from pasar.notifications.models import LoginCode, OptIn, OutboundMessage
from pasar.notifications.otp import Outcome, code_check, code_request
from pasar.notifications.services import opt_in
from pasar.testing import factories

pytestmark = pytest.mark.django_db

PHONE = "+6281234500009"


@pytest.fixture
def providers(settings):
    settings.PASAR_WHATSAPP_PROVIDER = "fake"
    settings.PASAR_SMS_PROVIDER = "fake"
    settings.PASAR_OTP_PER_HOUR = 3
    settings.PASAR_OTP_MAX_TRIES = 3


def sent_code():
    text = OutboundMessage.objects.filter(to=PHONE).latest("pk").text
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None
    return found.group(1)


def test_code_goes_by_sms_without_opt_in_and_logs_in(client, providers, django_capture_on_commit_callbacks):
    user = factories.user(phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:login-code"), {"phone": "0812-3450-0009", "next": "/notifikasi/"})
    assert response.status_code == 302
    message = OutboundMessage.objects.get()
    assert (message.channel, message.category, message.template) == ("sms", "sms", "kode_masuk")
    assert message.status == "sent"
    assert LoginCode.objects.get().code_hash != sent_code()  # only a hash is kept
    response = client.post(response.url, {"code": sent_code()})
    assert response.status_code == 302
    assert response.url == "/notifikasi/"
    assert client.get(reverse("notifications:inbox")).status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk


def test_with_opt_in_the_code_is_a_whatsapp_authentication_template(providers):
    user = factories.user(phone=PHONE)
    opt_in(user=user, source=OptIn.Source.WEB)
    assert code_request(phone=PHONE) == Outcome.SENT
    message = OutboundMessage.objects.get()
    assert (message.channel, message.kind, message.category) == ("whatsapp", "template", "authentication")
    assert message.params == [sent_code()]


def test_a_code_expires(providers):
    factories.user(phone=PHONE)
    code_request(phone=PHONE)
    code = sent_code()
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert code_check(phone=PHONE, code=code) == (Outcome.EXPIRED, None)


def test_a_code_is_used_once(providers):
    factories.user(phone=PHONE)
    code_request(phone=PHONE)
    code = sent_code()
    assert code_check(phone=PHONE, code=code)[0] == Outcome.OK
    assert code_check(phone=PHONE, code=code)[0] == Outcome.EXPIRED


def test_wrong_codes_lock_the_number_out_even_with_the_right_one(providers):
    factories.user(phone=PHONE)
    code_request(phone=PHONE)
    code = sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert code_check(phone=PHONE, code=wrong)[0] == Outcome.WRONG
    assert code_check(phone=PHONE, code=wrong)[0] == Outcome.WRONG
    assert code_check(phone=PHONE, code=wrong)[0] == Outcome.LOCKED
    assert code_check(phone=PHONE, code=code)[0] == Outcome.LOCKED
    assert code_request(phone=PHONE) == Outcome.LOCKED
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert code_request(phone=PHONE) == Outcome.SENT


def test_codes_are_rate_limited_per_number(providers):
    factories.user(phone=PHONE)
    for _ in range(3):
        assert code_request(phone=PHONE) == Outcome.SENT
    assert code_request(phone=PHONE) == Outcome.LIMITED
    assert OutboundMessage.objects.count() == 3


def test_an_unknown_number_gets_the_same_answer_and_no_message(client, providers):
    response = client.post(reverse("notifications:login-code"), {"phone": "081299990000"})
    assert response.status_code == 302  # same as for a known number
    assert not OutboundMessage.objects.exists()


def test_bad_input_is_a_field_error_not_a_500(client, providers):
    response = client.post(reverse("notifications:login-code"), {"phone": "halo"})
    assert response.status_code == 200
    assert not LoginCode.objects.exists()
    assert client.get(reverse("notifications:login-code-check")).status_code == 302  # no number asked yet
