"""Handing a job to an external ride-hailing courier when no pangkalan courier took it in time.

The operator who hands it over takes the order (``orders.Order.courier`` = the operator): the order
leaves the pangkalan queue, nobody else can take it, and the delivery fee is credited to that
operator's courier account in the ledger, from which they pay the provider. Progress comes from
polling the provider (``external_poll``, run by ``pasar dispatch_tick``): a pickup ticks off every
stall, a delivery hands the order over (the provider's confirmation stands in for the buyer's code;
the driver's cash is collected by the operator). A booking the provider cancels closes the job: the
operator then cancels the order or delivers it by hand.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.delivery.models import ExternalDispatch, Job, Offer
from pasar.delivery.providers import CourierProvider, ProviderError, Status, configured_provider
from pasar.delivery.providers.base import Point
from pasar.delivery.services import close_offer, lock_market
from pasar.markets.models import Market
from pasar.orders.models import Order, StallOrder
from pasar.orders.services import fulfilment


def due_at(ready_at: datetime) -> datetime:
    """From when the operator may hand an order to an external courier."""
    return ready_at + timedelta(minutes=settings.PASAR_DELIVERY_EXTERNAL_AFTER_MINUTES)


def amount_due(order: Order) -> int:
    return (order.goods_total or 0) + int(getattr(order, "bought_total", 0) or 0) + order.delivery_fee


def _provider() -> CourierProvider:
    provider = configured_provider()
    if provider is None:
        raise DomainError(_("No external courier service is set up."), code="no_provider")
    return provider


def external_hand_off(*, market: Market, job_id: int, operator: User, now: datetime | None = None) -> ExternalDispatch:
    """Book an external courier for a job that waited longer than the set time."""
    now = now or timezone.now()
    provider = _provider()
    with transaction.atomic():
        lock_market(market)
        job = Job.objects.select_related("order", "trip").filter(pk=job_id, market=market).first()
        if job is None or job.state != Job.State.WAITING:
            raise DomainError(_("This order is no longer waiting for a courier."), code="job_not_waiting")
        if now < due_at(job.ready_at):
            raise DomainError(
                _("Give the pangkalan %(minutes)s minutes first.")
                % {"minutes": settings.PASAR_DELIVERY_EXTERNAL_AFTER_MINUTES},
                code="too_early",
            )
        order = job.order
        cash = amount_due(order) if order.payment_method == Order.PaymentMethod.COD else 0
        if cash and not provider.collects_cash:
            raise DomainError(_("This courier service does not collect cash."), code="provider_no_cash")
        if job.trip is not None:
            for offer in job.trip.offers.filter(state=Offer.State.PENDING):
                close_offer(offer, Offer.State.WITHDRAWN, now)
        fulfilment.courier_take(order=order, courier=operator)
        pickup = Point(market.latitude, market.longitude, market.address)
        dropoff = Point(float(order.latitude or 0), float(order.longitude or 0), order.address)
        try:
            booking = provider.create(reference=order.number, pickup=pickup, dropoff=dropoff, cod_amount=cash)
        except ProviderError as error:
            raise DomainError(
                _("The courier service refused the booking: %(reason)s") % {"reason": error}, code="provider_error"
            ) from error
        Job.objects.filter(pk=job.pk).update(state=Job.State.EXTERNAL, trip=None)
        return ExternalDispatch.objects.create(
            job=job,
            provider=provider.name,
            external_id=booking.external_id,
            fee_quoted=booking.fee,
            requested_by=operator,
            tracking_url=booking.tracking_url,
        )


def external_poll(market: Market) -> int:
    """Ask the provider about every live booking of the market and move the orders on; how many changed."""
    provider = configured_provider()
    if provider is None:
        return 0
    changed = 0
    live = ExternalDispatch.objects.filter(
        job__market=market, provider=provider.name, state__in=[ExternalDispatch.State.REQUESTED, "picked_up"]
    )
    for booking in live.select_related("job__order", "requested_by"):
        try:
            status = provider.status(booking.external_id)
        except ProviderError:
            continue  # asked again on the next tick
        with transaction.atomic():
            changed += _apply(booking, status)
    return changed


def _pick_up_all(order: Order, courier: User) -> None:
    for part in order.parts.filter(state=StallOrder.State.READY).order_by("pk"):
        fulfilment.courier_pick_up(order=order, part_id=part.pk, courier=courier)


def _apply(booking: ExternalDispatch, status: Status) -> int:
    order, courier = booking.job.order, booking.requested_by
    if status == Status.PICKED_UP and booking.state == ExternalDispatch.State.REQUESTED:
        _pick_up_all(order, courier)
        booking.state = ExternalDispatch.State.PICKED_UP
    elif status == Status.DELIVERED:
        _pick_up_all(order, courier)
        order.refresh_from_db()
        cash = amount_due(order) if order.payment_method == Order.PaymentMethod.COD else None
        fulfilment.courier_deliver(order=order, code=order.handover_code, cash=cash, courier=courier)
        booking.state = ExternalDispatch.State.DELIVERED
        Job.objects.filter(pk=booking.job_id).update(state=Job.State.DONE)
    elif status == Status.CANCELLED:
        booking.state = ExternalDispatch.State.CANCELLED
        Job.objects.filter(pk=booking.job_id).update(state=Job.State.CLOSED)
    else:
        return 0
    booking.save(update_fields=["state", "updated_at"])
    return 1
