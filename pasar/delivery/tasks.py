"""The queue's periodic work: expire offers, discover ready orders, offer trips, poll external couriers.

Pages and actions already dispatch when something is due; this catches the minutes when nobody looks
(an offer timing out while every phone is locked). The scheduler runs it every 15 s
(``delivery/schedule.py``); ``pasar dispatch_tick`` runs one round by hand. Idempotent: a second run
right after the first finds nothing due and writes nothing.
"""

from django.tasks import task

from pasar.delivery import external, services
from pasar.delivery.models import CourierShift, Job, Pangkalan
from pasar.markets.models import Market
from pasar.orders.models import Order


def markets_with_a_queue() -> list[Market]:
    """Markets with a pangkalan, a courier on duty, a job or a ready delivery order: the only ones to visit."""
    ids = set(Pangkalan.objects.values_list("market_id", flat=True))
    ids |= set(CourierShift.objects.filter(checked_out_at__isnull=True).values_list("market_id", flat=True))
    ids |= set(Job.objects.filter(state=Job.State.WAITING).values_list("market_id", flat=True))
    ready = Order.objects.filter(
        state=Order.State.READY, fulfilment=Order.Fulfilment.DELIVERY, courier__isnull=True, delivery_job__isnull=True
    )
    ids |= set(ready.values_list("market_id", flat=True))
    return list(Market.objects.filter(pk__in=ids).order_by("pk"))


def tick() -> int:
    """One round over every market; how many offers were made."""
    offers = 0
    for market in markets_with_a_queue():
        offers += len(services.dispatch_if_due(market))
        external.external_poll(market)
    return offers


@task()
def dispatch_tick() -> int:
    return tick()
