"""Keep personal data no longer than its purpose needs (UU PDP art. 43–44): run nightly by the scheduler.

- A finished order's delivery address and note go 90 days after it was finished (the point becomes the
  market's own); the order, its lines, payments and ledger stay (money records, 10 years).
- Inbox notifications older than a year go.
- Failed-login records go once their cool-off has passed (django-axes also clears them on the next try).
"""

from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from pasar.accounts.lockout import cool_off
from pasar.markets.models import Market
from pasar.notifications.models import Notification
from pasar.orders.models import Order

ADDRESS_DAYS = 90
NOTIFICATION_DAYS = 365
FINISHED = (Order.State.DELIVERED, Order.State.CANCELLED)


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    old_orders = Order.objects.filter(state__in=FINISHED, updated_at__lt=now - timedelta(days=ADDRESS_DAYS))
    market = Market.objects.filter(pk=OuterRef("market_id"))
    moved = (
        old_orders.filter(latitude__isnull=False)
        .exclude(address="", note="")
        .update(
            address="",
            note="",
            latitude=Subquery(market.values("latitude")[:1]),
            longitude=Subquery(market.values("longitude")[:1]),
        )
    )
    moved += old_orders.filter(latitude__isnull=True).exclude(address="", note="").update(address="", note="")
    notifications, _by_model = Notification.objects.filter(
        created_at__lt=now - timedelta(days=NOTIFICATION_DAYS)
    ).delete()
    attempts, _by_model = AccessAttempt.objects.filter(attempt_time__lt=now - cool_off()).delete()
    return {"addresses": moved, "notifications": notifications, "failed_logins": attempts}
