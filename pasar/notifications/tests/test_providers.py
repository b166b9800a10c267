"""Outbound HTTP asserted with respx: the exact request, and 4xx/5xx/timeouts retried then failed visibly."""

import json

import httpx
import pytest
import respx

from pasar.notifications.models import OutboundMessage
from pasar.notifications.records import message_record
from pasar.notifications.sending import SendFailed, outbound_send

pytestmark = pytest.mark.django_db

GRAPH = "https://graph.facebook.com/v21.0"


@pytest.fixture
def cloud(settings):
    settings.PASAR_WHATSAPP_PROVIDER = "cloud"
    settings.PASAR_WHATSAPP_TOKEN = "test-token"
    settings.PASAR_WHATSAPP_API_URL = GRAPH
    settings.PASAR_SMS_PROVIDER = ""
    settings.PASAR_MESSAGE_MAX_ATTEMPTS = 3


def queued(**fields):
    defaults = {
        "key": "k1",
        "channel": "whatsapp",
        "to": "+6281234500001",
        "text": "Pesanan baru A1 untuk lapak Anda",
        "category": "utility",
        "kind": "template",
        "template": "pesanan_baru_lapak",
        "params": ["A1", "https://pasar.example/x"],
        "sender": "market-number",
    }
    message, created = message_record(**{**defaults, **fields})
    assert created
    assert message is not None
    return message


def ok(message_id="wamid.OK1"):
    body = {"messaging_product": "whatsapp", "contacts": [{"input": "6281234500001"}], "messages": [{"id": message_id}]}
    return httpx.Response(200, json=body)


@respx.mock
def test_template_request_is_what_the_cloud_api_expects(cloud):
    route = respx.post(f"{GRAPH}/market-number/messages").mock(return_value=ok())
    message = queued()
    assert outbound_send(message.pk) == ("sent", None)
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer test-token"
    assert json.loads(request.content) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234500001",
        "type": "template",
        "template": {
            "name": "pesanan_baru_lapak",
            "language": {"code": "id"},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": "A1"}, {"type": "text", "text": "https://pasar.example/x"}],
                }
            ],
        },
    }
    message.refresh_from_db()
    assert (message.status, message.provider_message_id, message.attempts) == ("sent", "wamid.OK1", 1)


@respx.mock
def test_free_text_and_buttons(cloud):
    route = respx.post(f"{GRAPH}/market-number/messages").mock(side_effect=[ok("wamid.T"), ok("wamid.B")])
    text = queued(key="t", kind="text", template="", category="service")
    buttons = queued(
        key="b", kind="buttons", template="", category="service", buttons=[{"id": "pesan", "title": "Pesan"}]
    )
    outbound_send(text.pk)
    outbound_send(buttons.pk)
    first, second = (json.loads(call.request.content) for call in route.calls)
    assert first["type"] == "text"
    assert first["text"]["body"] == "Pesanan baru A1 untuk lapak Anda"
    assert second["type"] == "interactive"
    assert second["interactive"]["type"] == "button"
    assert second["interactive"]["action"]["buttons"] == [{"type": "reply", "reply": {"id": "pesan", "title": "Pesan"}}]


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(400, json={"error": {"code": 132001, "message": "Template name does not exist"}}),
     httpx.Response(503), httpx.ConnectTimeout("timed out")],
    ids=["4xx", "5xx", "timeout"],
)  # fmt: skip
@respx.mock
def test_failures_are_retried_then_the_message_fails_visibly(cloud, failure):
    route = respx.post(f"{GRAPH}/market-number/messages").mock(side_effect=[failure, failure, failure])
    message = queued()
    for _attempt in range(2):
        with pytest.raises(SendFailed):  # the worker retries the task with backoff
            outbound_send(message.pk)
        message.refresh_from_db()
        assert message.status == "queued"
        assert message.error
    assert outbound_send(message.pk) == ("failed", None)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    assert message.failed_at is not None
    assert route.call_count == 3
    assert outbound_send(message.pk) == ("failed", None)  # a redelivered task sends nothing more
    assert route.call_count == 3


@respx.mock
def test_a_failed_whatsapp_message_falls_back_to_sms(cloud, settings):
    settings.PASAR_SMS_PROVIDER = "zenziva"
    settings.PASAR_ZENZIVA_URL = "https://sms.example/send"
    settings.PASAR_MESSAGE_MAX_ATTEMPTS = 1
    respx.post(f"{GRAPH}/market-number/messages").mock(return_value=httpx.Response(500))
    sms = respx.post("https://sms.example/send").mock(
        return_value=httpx.Response(200, json={"messageId": "z-1", "to": "081234500001", "status": "1", "text": "ok"})
    )
    message = queued()
    status, fallback = outbound_send(message.pk)
    assert status == "failed"
    assert fallback is not None
    assert outbound_send(fallback) == ("sent", None)
    form = dict(httpx.QueryParams(sms.calls.last.request.content.decode()))
    assert form["to"] == "081234500001"
    assert form["message"] == "Pesanan baru A1 untuk lapak Anda"
    row = OutboundMessage.objects.get(pk=fallback)
    assert (row.channel, row.category, row.provider_message_id) == ("sms", "sms", "z-1")


@respx.mock
def test_zenziva_refusal_is_an_error(settings):
    settings.PASAR_SMS_PROVIDER = "zenziva"
    settings.PASAR_ZENZIVA_URL = "https://sms.example/send"
    settings.PASAR_MESSAGE_MAX_ATTEMPTS = 1
    respx.post("https://sms.example/send").mock(return_value=httpx.Response(200, json={"status": "0", "text": "saldo"}))
    message = queued(channel="sms", kind="text", template="", category="sms")
    assert outbound_send(message.pk) == ("failed", None)
    message.refresh_from_db()
    assert "refused" in message.error
