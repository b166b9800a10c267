"""Kotak keluar, the month's message costs per market, and announcements with delivery/read counts."""

import pytest
from django.urls import reverse

from pasar.markets.models import MarketRole
from pasar.notifications.models import Announcement, Notification, OptIn, OutboundMessage
from pasar.notifications.sending import status_update
from pasar.notifications.services import opt_in
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(settings):
    settings.PASAR_WHATSAPP_PROVIDER = "fake"


@pytest.fixture
def operator(market):
    user = factories.user(name="Operator")
    MarketRole.objects.create(user=user, market=market, role=MarketRole.Role.OPERATOR)
    return user


def test_operator_announces_to_the_market_traders_and_sees_delivery_and_reads(
    client, fake, market, other_market, stall, operator, django_capture_on_commit_callbacks
):
    second = factories.stall(market=market, number="B9", trader_obj=factories.trader(name="Ujang"))
    elsewhere = factories.stall(market=other_market, number="C1", trader_obj=factories.trader(name="Lain"))
    opt_in(user=stall.trader.user, source=OptIn.Source.OPERATOR)
    client.force_login(operator)
    url = reverse("traders:outbox", kwargs={"slug": market.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Hari Sabtu pasar tutup jam 12 untuk kerja bakti."})
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert set(Notification.objects.values_list("user", flat=True)) == {stall.trader.user_id, second.trader.user_id}
    assert not Notification.objects.filter(user=elsewhere.trader.user).exists()
    message = OutboundMessage.objects.get()  # only the opted-in trader gets WhatsApp
    assert (message.template, message.category, message.market_id) == ("pengumuman_pedagang", "marketing", market.pk)
    assert message.announcement_id == announcement.pk
    assert message.provider_message_id is not None
    status_update(provider_message_id=message.provider_message_id, status="read", at=message.created_at)
    page = client.get(url).content.decode()
    assert "Hari Sabtu pasar tutup" in page
    assert "1/1 WhatsApp" in page  # delivered / sent
    assert "marketing" in page  # the month's cost table
    assert "Rp680" in page


def test_an_empty_announcement_is_refused_and_sends_nothing(client, fake, market, stall, operator):
    client.force_login(operator)
    response = client.post(reverse("traders:outbox", kwargs={"slug": market.slug}), {"text": "   "})
    assert response.status_code == 200
    assert not Announcement.objects.exists()
    assert not Notification.objects.exists()


def test_the_operator_sees_only_their_markets_messages(client, market, other_market, operator):
    OutboundMessage.objects.create(
        idempotency_key="a", to="+6281200000001", channel="sms", provider="fake", kind="text", text="MINE",
        category="sms", market_id=market.pk,
    )  # fmt: skip
    OutboundMessage.objects.create(
        idempotency_key="b", to="+6281200000002", channel="sms", provider="fake", kind="text", text="THEIRS",
        category="sms", market_id=other_market.pk,
    )  # fmt: skip
    client.force_login(operator)
    page = client.get(reverse("traders:outbox", kwargs={"slug": market.slug})).content.decode()
    assert "MINE" in page
    assert "THEIRS" not in page
    assert client.get(reverse("traders:outbox", kwargs={"slug": other_market.slug})).status_code == 404
    assert client.get(reverse("traders:all-outbox")).status_code == 404
    client.force_login(factories.user(is_staff=True))
    page = client.get(reverse("traders:all-outbox")).content.decode()
    assert "MINE" in page
    assert "THEIRS" in page


def test_the_dinas_announces_to_a_region(client, fake, market, other_market, stall):
    from pasar.accounts.models import OfficerAssignment

    officer = factories.user(name="Dinas")
    OfficerAssignment.objects.create(user=officer, region=market.region)
    elsewhere = factories.stall(market=other_market, number="C1", trader_obj=factories.trader(name="Lain"))
    client.force_login(officer)
    url = reverse("traders:region-announcements", kwargs={"code": market.region.code})
    assert client.post(url, {"text": "Pelatihan QRIS hari Senin di balai pasar."}).status_code == 302
    assert Notification.objects.filter(user=stall.trader.user).exists()
    assert not Notification.objects.filter(user=elsewhere.trader.user).exists()
    other = reverse("traders:region-announcements", kwargs={"code": other_market.region.code})
    assert client.get(other).status_code == 404
