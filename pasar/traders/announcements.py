"""Pengumuman: an operator (to their market's traders) or the dinas (to a region's) sends a short
announcement — market days, training invitations, price policy. Each trader gets it in the inbox and,
with opt-in, on WhatsApp (a marketing-category template); the page shows delivery and read counts."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.models import Market
from pasar.notifications.messages import Template
from pasar.notifications.models import Announcement, Category, Notification
from pasar.notifications.selectors import Reach, announcement_reach
from pasar.notifications.services import notify
from pasar.traders.models import Stall

MAX_TEXT = 500
ANNOUNCEMENT = Template(
    name="pengumuman_pedagang",
    inbox=gettext_noop("Announcement from %(sender)s: %(text)s"),
    params=("sender", "text"),
    category=Category.MARKETING,
    sms=False,
)


@transaction.atomic
def announcement_send(*, author: User, markets: list[Market], scope: str, label: str, text: str) -> Announcement:
    """Send ``text`` to every trader with a stall in ``markets`` (once each); refuses an empty or long text."""
    text = " ".join(text.split())
    if not text:
        raise DomainError(_("Write the announcement."), code="announcement_empty")
    if len(text) > MAX_TEXT:
        raise DomainError(_("An announcement is at most %(n)s characters.") % {"n": MAX_TEXT}, code="too_long")
    announcement = Announcement.objects.create(author=author, scope=scope[:40], scope_label=label[:150], text=text)
    stalls = Stall.objects.filter(market__in=markets).select_related("trader__user", "market").order_by("pk")
    seen: set[int] = set()
    for stall in stalls:
        user = stall.trader.user
        if user.pk in seen:
            continue
        seen.add(user.pk)
        notify(
            user=user,
            key=f"announcement:{announcement.pk}",
            template=ANNOUNCEMENT,
            params={"sender": label, "text": text},
            sender=stall.market.whatsapp_phone_number_id,
            market_id=stall.market_id,
            announcement_id=announcement.pk,
        )
    return announcement


def recipients_of(announcement: Announcement) -> int:
    return Notification.objects.filter(key=f"announcement:{announcement.pk}").count()


@dataclass(frozen=True)
class AnnouncementRow:
    announcement: Announcement
    recipients: int
    read_in_app: int
    whatsapp: Reach


def announcements_for(scope: str, *, limit: int = 20) -> list[AnnouncementRow]:
    rows = []
    for announcement in Announcement.objects.filter(scope=scope)[:limit]:
        notes = Notification.objects.filter(key=f"announcement:{announcement.pk}")
        rows.append(
            AnnouncementRow(
                announcement,
                recipients=notes.count(),
                read_in_app=notes.filter(read_at__isnull=False).count(),
                whatsapp=announcement_reach(announcement.pk),
            )
        )
    return rows
