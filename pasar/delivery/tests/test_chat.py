"""A trip offer reaches the courier on WhatsApp with its fee and cash; the "Terima" button accepts it."""

import pytest
import time_machine

from pasar.delivery import services
from pasar.delivery.models import Offer
from pasar.delivery.tests.scenarios import at, couriers, product, ready_order
from pasar.notifications.models import Notification, OptIn, OutboundMessage, Window
from pasar.notifications.services import opt_in
from pasar.notifications.tests.support import SECRET, fixture, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def whatsapp(settings):
    settings.PASAR_WHATSAPP_PROVIDER = "fake"
    settings.PASAR_WHATSAPP_APP_SECRET = SECRET


def test_the_offer_is_told_with_fee_and_cash_and_accepted_by_button(
    client, market, whatsapp, django_capture_on_commit_callbacks
):
    market.whatsapp_phone_number_id = "market-number"
    market.save(update_fields=["whatsapp_phone_number_id"])
    [rider] = couriers(market, 1)
    opt_in(user=rider, source=OptIn.Source.OPERATOR)
    order = ready_order(market, product(market))
    with django_capture_on_commit_callbacks(execute=True):
        [offer] = services.dispatch(market, now=at(10))
    note = Notification.objects.get(user=rider)
    assert "Rp" in note.text
    message = OutboundMessage.objects.get(to=rider.phone)
    assert (message.kind, message.template) == ("template", "tawaran_antar")  # no window open: the template
    assert message.buttons == [{"id": f"terima-{offer.pk}", "title": "Terima"}]
    assert message.params[0] == "1"
    assert order.delivery_fee > 0
    tap = fixture(
        "button_reply",
        **{"from": rider.phone[1:], "phone_number_id": "market-number"},
        interactive={"type": "button_reply", "button_reply": {"id": f"terima-{offer.pk}", "title": "Terima"}},
    )
    with time_machine.travel(at(20)), django_capture_on_commit_callbacks(execute=True):
        assert post(client, tap).status_code == 200
    offer.refresh_from_db()
    assert offer.state == Offer.State.ACCEPTED
    order.refresh_from_db()
    assert order.courier == rider
    assert Window.objects.filter(phone=rider.phone).exists()
    assert "kurir/antrian" in OutboundMessage.objects.filter(to=rider.phone).latest("pk").text


def test_a_tap_on_someone_elses_offer_changes_nothing(client, market, whatsapp, django_capture_on_commit_callbacks):
    market.whatsapp_phone_number_id = "market-number"
    market.save(update_fields=["whatsapp_phone_number_id"])
    first, second = couriers(market, 2)
    ready_order(market, product(market))
    [offer] = services.dispatch(market, now=at(10))
    assert offer.courier == first
    tap = fixture(
        "button_reply",
        **{"from": second.phone[1:], "phone_number_id": "market-number"},
        interactive={"type": "button_reply", "button_reply": {"id": f"terima-{offer.pk}", "title": "Terima"}},
    )
    with time_machine.travel(at(20)), django_capture_on_commit_callbacks(execute=True):
        post(client, tap)
    offer.refresh_from_db()
    assert offer.state == Offer.State.PENDING
