"""The WhatsApp webhook: handshake, signature over the raw body, de-duplication, statuses, STOP."""

import json

import pytest

from pasar.notifications.models import InboundMessage, OptIn, OutboundMessage, Window
from pasar.notifications.records import message_record
from pasar.notifications.services import opt_in
from pasar.notifications.tests.support import SECRET, fixture, post
from pasar.notifications.webhooks import sign
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def secret(settings):
    settings.PASAR_WHATSAPP_APP_SECRET = SECRET
    settings.PASAR_WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.PASAR_WHATSAPP_PROVIDER = "fake"


def test_handshake_echoes_the_challenge_only_with_the_token(client):
    ok = client.get(
        "/webhooks/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    )
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    bad = client.get(
        "/webhooks/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}
    )
    assert bad.status_code == 403


def test_forged_or_altered_bodies_are_refused_and_change_nothing(client):
    payload = fixture("text_message", phone_number_id="some-number")
    assert post(client, payload, secret="not-the-secret").status_code == 401
    assert post(client, payload, signature="").status_code == 401
    body = json.dumps(payload).encode()
    altered = body.replace(b"cabai", b"CABAI")
    response = client.post(
        "/webhooks/whatsapp/", data=altered, content_type="application/json",
        headers={"X-Hub-Signature-256": sign(body, SECRET)},
    )  # fmt: skip
    assert response.status_code == 401
    assert not InboundMessage.objects.exists()
    assert not Window.objects.exists()


def test_no_secret_configured_refuses_everything(client, settings):
    settings.PASAR_WHATSAPP_APP_SECRET = ""
    assert post(client, fixture("text_message"), secret="").status_code == 401


def test_a_message_is_recorded_once_and_opens_the_window(client):
    payload = fixture("text_message", phone_number_id="some-number")
    first = post(client, payload)
    assert first.json() == {"messages": 1, "duplicates": 0, "statuses": 0}
    assert post(client, payload).json() == {"messages": 0, "duplicates": 1, "statuses": 0}  # Meta's retry
    inbound = InboundMessage.objects.get()
    assert (inbound.phone, inbound.sender, inbound.kind) == ("+6281234500001", "some-number", "text")
    assert Window.objects.get().phone == "+6281234500001"


def test_a_nul_character_in_a_chat_message_is_dropped_not_a_database_error(client):
    # PostgreSQL's jsonb refuses NUL; this test fails there if the webhook stores it.
    first = post(client, fixture("text_message", body="cabai\x00 1/4"))

    assert first.json()["messages"] == 1
    assert InboundMessage.objects.get().payload["text"]["body"] == "cabai 1/4"


def sent_message():
    message, _ = message_record(key="k", channel="whatsapp", to="+6281234500001", text="x", category="utility")
    assert message is not None
    OutboundMessage.objects.filter(pk=message.pk).update(status="sent", provider_message_id="wamid.OUTBOUND")
    return message


def test_status_webhooks_move_the_message_forward_only(client):
    message = sent_message()
    assert post(client, fixture("status_delivered")).json()["statuses"] == 1
    message.refresh_from_db()
    assert message.status == "delivered"
    assert message.delivered_at is not None
    post(client, fixture("status_delivered", status="read"))
    post(client, fixture("status_delivered", status="sent"))  # late: changes nothing
    message.refresh_from_db()
    assert message.status == "read"


def test_a_failed_status_is_recorded_with_its_error(client):
    message = sent_message()
    post(client, fixture("status_failed"))
    message.refresh_from_db()
    assert message.status == "failed"
    assert "131026" in message.error


def test_stop_opts_out_and_is_answered(client, django_capture_on_commit_callbacks):
    user = factories.user(phone="081234500001")
    opt_in(user=user, source=OptIn.Source.WEB)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fixture("text_message", body="BERHENTI", phone_number_id="some-number"))
    assert OptIn.objects.get(user=user).opted_out_at is not None
    reply = OutboundMessage.objects.get()
    assert (reply.to, reply.kind, reply.category, reply.sender) == (user.phone, "text", "service", "some-number")
    assert "MULAI" in reply.text
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fixture("text_message", body="mulai", id="wamid.second", phone_number_id="some-number"))
    assert OptIn.objects.get(user=user).opted_out_at is None
