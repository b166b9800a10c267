import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop as N_

from pasar.notifications.channels import ChannelError, MemoryChannel
from pasar.notifications.models import Notification
from pasar.notifications.services import notification_send, notifications_mark_read, notify
from pasar.testing import factories

pytestmark = pytest.mark.django_db

MESSAGE = N_("Order %(number)s was delivered. Thank you for shopping at the market!")


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
    assert "251124-ABCD" in english
    assert english.startswith("Order 251124-ABCD was delivered")
    assert indonesian != english


def test_missing_parameter_never_breaks_the_text():
    assert Notification(message=MESSAGE, params={}).text  # the raw message, not a KeyError


def test_send_uses_the_channel_once(settings):
    settings.PASAR_NOTIFY_CHANNEL = "memory"
    MemoryChannel.outbox.clear()
    user = factories.user()
    notify(user=user, key="k", message=MESSAGE, params={"number": "A1"})
    note = Notification.objects.get(user=user)
    assert notification_send(note.pk) is True
    assert notification_send(note.pk) is False  # already sent: nothing twice
    with translation.override("id"):
        expected = Notification.objects.get(pk=note.pk).text
    assert MemoryChannel.outbox == [(user.phone, expected)]
    assert "A1" in expected
    note.refresh_from_db()
    assert note.sent_at is not None


def test_no_channel_configured_sends_nothing(settings):
    settings.PASAR_NOTIFY_CHANNEL = ""
    user = factories.user()
    notify(user=user, key="k", message=MESSAGE, params={"number": "A1"})
    note = Notification.objects.get(user=user)
    assert notification_send(note.pk) is False
    note.refresh_from_db()
    assert note.sent_at is None


class FailingChannel:
    def send(self, *, phone: str, text: str) -> str:
        raise ChannelError("gateway down")


def test_a_failing_channel_leaves_the_notification_unsent(settings):
    settings.PASAR_NOTIFY_CHANNEL = f"{__name__}.FailingChannel"
    user = factories.user()
    notify(user=user, key="k", message=MESSAGE, params={"number": "A1"})
    note = Notification.objects.get(user=user)
    with pytest.raises(ChannelError):
        notification_send(note.pk)
    note.refresh_from_db()
    assert note.sent_at is None


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


def test_mark_read_counts_only_unread():
    user = factories.user()
    notify(user=user, key="a", message=MESSAGE, params={"number": "1"})
    notify(user=user, key="b", message=MESSAGE, params={"number": "2"})
    assert notifications_mark_read(user=user) == 2
    assert notifications_mark_read(user=user) == 0
