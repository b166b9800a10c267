from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop as N_

from pasar.notifications.messages import Template
from pasar.notifications.models import Notification, OptIn, OutboundMessage, Window
from pasar.notifications.services import notifications_mark_read, notify, opt_in, opt_out
from pasar.testing import factories

pytestmark = pytest.mark.django_db

MESSAGE = N_("Order %(number)s was delivered. Thank you for shopping at the market!")
TEMPLATE = Template(name="test_pesanan_diterima", inbox=MESSAGE, params=("number", "url"))


@pytest.fixture
def whatsapp(settings):
    settings.PASAR_WHATSAPP_PROVIDER = "fake"
    settings.PASAR_SMS_PROVIDER = "fake"
    settings.PASAR_WHATSAPP_PHONE_NUMBER_ID = "platform-number"


def test_notify_once_per_source_key():
    user = factories.user()
    assert notify(user=user, key="order-event:1", message=MESSAGE, params={"number": "A1"}) is True
    assert notify(user=user, key="order-event:1", message=MESSAGE, params={"number": "A1"}) is False
    assert Notification.objects.filter(user=user).count() == 1


def test_text_is_translated_when_shown():
    note = Notification(message=MESSAGE, params={"number": "251124-ABCD"})
    with translation.override("id"):
        indonesian = note.text
    with translation.override("en"):
        english = note.text
    assert "251124-ABCD" in indonesian
    assert english.startswith("Order 251124-ABCD was delivered")
    assert indonesian != english


def test_missing_parameter_never_breaks_the_text():
    assert Notification(message=MESSAGE, params={}).text  # the raw message, not a KeyError


def test_without_opt_in_nothing_goes_to_the_phone(whatsapp):
    user = factories.user()
    assert notify(user=user, key="k", template=TEMPLATE, params={"number": "A1"}) is True
    assert Notification.objects.filter(user=user).exists()  # the inbox has it
    assert not OutboundMessage.objects.exists()


def test_with_opt_in_a_template_is_queued_and_sent_after_the_commit(whatsapp, django_capture_on_commit_callbacks):
    user = factories.user()
    opt_in(user=user, source=OptIn.Source.WEB)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, key="k", template=TEMPLATE, params={"number": "A1"}, url="/pesanan/A1/", market_id=7)
    message = OutboundMessage.objects.get()
    assert (message.to, message.channel, message.kind) == (user.phone, "whatsapp", "template")
    assert message.template == "test_pesanan_diterima"
    assert message.params == ["A1", "http://127.0.0.1:8000/pesanan/A1/"]
    assert message.category == "utility"
    assert message.cost == 330
    assert message.market_id == 7
    assert message.sender == "platform-number"
    assert message.status == "sent"
    assert message.provider_message_id == f"fake.whatsapp.{message.pk}"
    with translation.override("id"):
        assert message.text.startswith(Template.render(TEMPLATE, {"number": "A1"}))
    assert Notification.objects.get(user=user).sent_at is not None


def test_inside_the_window_free_text_goes_instead(whatsapp):
    user = factories.user()
    opt_in(user=user, source=OptIn.Source.CHAT)
    Window.objects.create(phone=user.phone, sender="platform-number", last_inbound_at=timezone.now())
    notify(user=user, key="k", template=TEMPLATE, params={"number": "A1"})
    message = OutboundMessage.objects.get()
    assert (message.kind, message.category, message.cost) == ("text", "service", 0)
    assert message.template == "test_pesanan_diterima"  # which kind of message it was


def test_the_window_closes_after_24_hours(whatsapp):
    user = factories.user()
    opt_in(user=user, source=OptIn.Source.CHAT)
    Window.objects.create(phone=user.phone, sender="platform-number", last_inbound_at=timezone.now())
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        notify(user=user, key="k", template=TEMPLATE, params={"number": "A1"})
    assert OutboundMessage.objects.get().kind == "template"


def test_opt_out_stops_messages_and_opt_in_again_restores_them(whatsapp):
    user = factories.user()
    opt_in(user=user, source=OptIn.Source.WEB)
    assert opt_out(phone=user.phone, source="web") == 1
    notify(user=user, key="a", template=TEMPLATE, params={"number": "A1"})
    assert not OutboundMessage.objects.exists()
    opt_in(user=user, source=OptIn.Source.WEB)
    notify(user=user, key="b", template=TEMPLATE, params={"number": "A2"})
    assert OutboundMessage.objects.count() == 1
    assert OptIn.objects.get(user=user).opted_out_at is None


def test_no_provider_configured_sends_nothing(settings):
    settings.PASAR_WHATSAPP_PROVIDER = ""
    user = factories.user()
    opt_in(user=user, source=OptIn.Source.WEB)
    notify(user=user, key="k", template=TEMPLATE, params={"number": "A1"})
    assert not OutboundMessage.objects.exists()


def test_inbox_shows_only_my_notifications_and_marks_read(client):
    me, other = factories.user(), factories.user()
    notify(user=me, key="a", message=MESSAGE, params={"number": "MINE-1"}, url="/pesanan/MINE-1/")
    notify(user=other, key="a", message=MESSAGE, params={"number": "THEIRS-1"})
    client.force_login(me)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "MINE-1" in page
    assert "THEIRS-1" not in page
    assert 'href="/pesanan/MINE-1/"' in page
    response = client.post(reverse("notifications:mark-read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1


def test_the_inbox_switch_records_opt_in_and_out(client):
    user = factories.user()
    client.force_login(user)
    client.post(reverse("notifications:whatsapp"), {"whatsapp": "on"})
    row = OptIn.objects.get(user=user)
    assert (row.phone, row.source, row.opted_out_at) == (user.phone, "web", None)
    assert "Pasar Daring" in row.wording  # the opt-in names the business
    client.post(reverse("notifications:whatsapp"), {"whatsapp": "off"})
    row.refresh_from_db()
    assert row.opted_out_at is not None


def test_mark_read_counts_only_unread():
    user = factories.user()
    notify(user=user, key="a", message=MESSAGE, params={"number": "1"})
    notify(user=user, key="b", message=MESSAGE, params={"number": "2"})
    assert notifications_mark_read(user=user) == 2
    assert notifications_mark_read(user=user) == 0
