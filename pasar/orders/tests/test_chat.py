"""Ordering by chat at a market's WhatsApp number, through the signed webhook, as in the demo contract."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from pasar.accounts.models import User
from pasar.catalog.models import Commodity
from pasar.notifications.models import OptIn, OutboundMessage
from pasar.notifications.tests.support import SECRET, fixture, post
from pasar.orders.models import ChatConversation, Order
from pasar.orders.services.chat import list_from_link, list_link
from pasar.testing import factories

pytestmark = pytest.mark.django_db

BUYER = "+6281234500001"
LIST = "Bu, titip ya\ntempe 2 papan\ncabe rawit 1/4 kg\nkemiri 5rb"


@pytest.fixture
def shop(vocabulary, settings):
    settings.PASAR_WHATSAPP_APP_SECRET = SECRET
    settings.PASAR_WHATSAPP_PROVIDER = "fake"
    market = factories.market()
    market.whatsapp_phone_number_id = "demo-cikurubuk"
    market.delivery_radius_km = Decimal(5)
    market.closes_at = market.order_cutoff = time(23, 59, 59)
    market.save()
    trader = factories.trader(name="Dadang", phone="+6281311110002")
    stall = factories.stall(market=market, trader_obj=trader)
    tempe = Commodity.objects.get(name="Tempe")
    factories.product(stall=stall, name="Tempe Papan", unit="papan", price=5000, commodity_obj=tempe)
    chili = factories.product(
        stall=stall,
        name="Cabe Rawit",
        unit="kg",
        price=60000,
        commodity_obj=Commodity.objects.get(name="Cabai Rawit Merah"),
    )
    chili.quantity_step = chili.quantity_min = Decimal("0.25")
    chili.save()
    return market


def send(client, name, capture, **changes):
    with capture(execute=True):
        response = post(client, fixture(name, phone_number_id="demo-cikurubuk", **changes))
    assert response.status_code == 200
    return response


def replies():
    return list(OutboundMessage.objects.filter(to=BUYER).order_by("pk"))


def test_a_list_by_chat_gets_the_matched_lines_per_stall_and_buttons(client, shop, django_capture_on_commit_callbacks):
    send(client, "text_message", django_capture_on_commit_callbacks, body=LIST)
    summary, ask = replies()
    assert (summary.kind, summary.category, summary.sender) == ("text", "service", "demo-cikurubuk")
    assert "Tempe Papan 2 papan: Rp10.000" in summary.text
    assert "Cabe Rawit 0,25 kg: Rp15.000" in summary.text
    assert "kemiri" in summary.text  # cari di pasar, capped at the buyer's 5rb
    assert "Rp5.000" in summary.text
    assert ask.kind == "buttons"
    assert [b["title"] for b in ask.buttons] == ["Pesan", "Ubah", "Batal"]
    assert "akun" in ask.text.lower()  # an unknown number is asked for consent
    assert not User.objects.filter(phone=BUYER).exists()  # no account before consent
    assert ChatConversation.objects.get().state == "draft"


def test_the_same_message_id_twice_gets_one_reply(client, shop, django_capture_on_commit_callbacks):
    send(client, "text_message", django_capture_on_commit_callbacks, body=LIST)
    send(client, "text_message", django_capture_on_commit_callbacks, body=LIST)
    assert len(replies()) == 2  # one summary, one question: once


def test_a_forged_signature_changes_nothing(client, shop):
    response = post(client, fixture("text_message", phone_number_id="demo-cikurubuk"), secret="forged")
    assert response.status_code == 401
    assert not OutboundMessage.objects.exists()
    assert not ChatConversation.objects.exists()


def test_location_then_pesan_places_a_delivery_order_once(client, shop, django_capture_on_commit_callbacks):
    send(client, "text_message", django_capture_on_commit_callbacks, body=LIST)
    send(client, "location", django_capture_on_commit_callbacks, location={
        "latitude": -6.9120, "longitude": 107.6250, "name": "Rumah", "address": "Jl. Cihapit 3"})  # fmt: skip
    assert "Rp" in replies()[-2].text  # the delivery fee
    send(client, "button_reply", django_capture_on_commit_callbacks)
    order = Order.objects.get()
    buyer = User.objects.get(phone=BUYER)
    assert order.buyer == buyer
    assert not buyer.has_usable_password()  # a light account: logs in by one-time code
    assert buyer.name == "Ibu Sari"  # the WhatsApp profile name of the webhook's contact
    assert OptIn.objects.get(user=buyer).source == "chat"
    assert (order.fulfilment, order.payment_method, order.address) == ("delivery", "cod", "Jl. Cihapit 3")
    assert order.parts.count() == 1
    assert order.search_lines.count() == 1  # kemiri, bought by the courier
    assert order.number in replies()[-1].text
    # The trader hears of it on WhatsApp? Only with opt-in: the inbox has it in any case.
    assert order.parts.get().stall.trader.user.notifications.exists()
    send(client, "button_reply", django_capture_on_commit_callbacks, id="wamid.second-tap")
    assert Order.objects.count() == 1
    assert "already" in replies()[-1].text or order.number in replies()[-1].text


def test_batal_clears_the_draft(client, shop, django_capture_on_commit_callbacks):
    send(client, "text_message", django_capture_on_commit_callbacks, body=LIST)
    send(client, "button_reply", django_capture_on_commit_callbacks,
         interactive={"type": "button_reply", "button_reply": {"id": "batal", "title": "Batal"}})  # fmt: skip
    assert ChatConversation.objects.get().state == "idle"
    send(client, "button_reply", django_capture_on_commit_callbacks, id="wamid.after-cancel")
    assert not Order.objects.exists()


def test_a_number_that_is_no_market_is_left_alone(client, shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fixture("text_message", phone_number_id="someone-else", body=LIST))
    assert not ChatConversation.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_the_signed_link_fills_the_list_page_and_expires(client, shop):
    link = list_link(shop, LIST)
    token = link.split("daftar=")[1]
    assert list_from_link(shop, token) == LIST
    assert list_from_link(shop, token + "x") is None
    other = factories.market(name="Pasar Lain", regency_code="34.71")
    assert list_from_link(other, token) is None
    client.force_login(factories.user())
    page = client.get(link.removeprefix("http://127.0.0.1:8000")).content.decode()
    assert "Tempe Papan" in page
    with time_machine.travel(timezone.now() + timedelta(hours=4, minutes=1)):
        assert list_from_link(shop, token) is None
        page = client.get(link.removeprefix("http://127.0.0.1:8000")).content.decode()
    assert "kedaluwarsa" in page or "expired" in page
