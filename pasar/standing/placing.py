"""At the cut-off, each due draft becomes a real order through the orders app's own placement.

The run row is locked first and re-read, so two schedulers (or a scheduler and a catch-up) settle it
once; the order's idempotency key is derived from (standing order, date), and ``Run.order`` is
one-to-one, so even a replay outside the lock cannot make a second order. Lines are checked against
today's products: unavailable ones are dropped, counted stock short of the quantity is capped (or the
line dropped), prices are those of the day, and the buyer hears every change. The buyer's own cart at
the market is set aside for the placement and put back in the same transaction.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from pasar.catalog.models import Product
from pasar.core.errors import DomainError
from pasar.core.money import format_quantity, format_rupiah
from pasar.notifications.messages import Template
from pasar.notifications.services import notify
from pasar.orders.models import Cart, CartLine, CartRequest, Order, PickupSlot
from pasar.orders.pricing import check_quantity
from pasar.orders.services.placement import Checkout, InsufficientStock, order_place
from pasar.orders.services.slots import slots_ensure
from pasar.standing import notify as templates
from pasar.standing.dates import LOOK_BACK, closing_of, cutoff_of, local_today
from pasar.standing.models import Run, RunLine, StandingOrder, Substitution
from pasar.standing.services import runs_plan

MAX_ATTEMPTS = 4  # a concurrent buyer may take the last units between our check and the placement


def idempotency_key(run: Run) -> str:
    return f"standing:{run.standing_id}:{run.date:%Y%m%d}"


def runs_settle(*, now: datetime) -> dict[str, int]:
    """Plan every standing order's dates up to now, then settle each draft whose cut-off has passed."""
    counts: dict[str, int] = {}
    for standing in StandingOrder.objects.select_related("market"):
        if standing.ends_on is None or standing.ends_on >= local_today(standing.market, now) - LOOK_BACK:
            runs_plan(standing, now=now)
    due = Run.objects.filter(state=Run.State.DRAFT, date__lte=now.date() + timedelta(days=1)).select_related("market")
    for run in due:
        if cutoff_of(run.market, run.date) <= now:
            state = run_settle(run_id=run.pk, now=now)
            counts[state] = counts.get(state, 0) + 1
    return counts


@dataclass
class Report:
    dropped: list[dict[str, str]] = field(default_factory=list)
    reduced: list[dict[str, str]] = field(default_factory=list)
    prices: list[dict[str, str]] = field(default_factory=list)
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"dropped": self.dropped, "reduced": self.reduced, "prices": self.prices, "reason": self.reason}

    def summary(self) -> str:
        parts = []
        if self.dropped:
            parts.append(_("Not available: %(names)s.") % {"names": ", ".join(d["name"] for d in self.dropped)})
        if self.reduced:
            parts.append(
                _("Less than asked: %(items)s.")
                % {"items": ", ".join(f"{r['name']} {r['got']} {r['unit']}" for r in self.reduced)}
            )
        if self.prices:
            parts.append(
                _("New prices: %(items)s.")
                % {"items": ", ".join(f"{p['name']} {p['before']} → {p['after']}" for p in self.prices)}
            )
        return " ".join(parts) or _("No changes.")


@transaction.atomic
def run_settle(*, run_id: int, now: datetime) -> str:
    """Settle one run whose cut-off has passed (placed, empty, skipped, missed or failed); returns its state."""
    run = Run.objects.select_for_update().get(pk=run_id)
    standing = StandingOrder.objects.select_related("market", "buyer").get(pk=run.standing_id)
    market = standing.market
    if run.state != Run.State.DRAFT or cutoff_of(market, run.date) > now:
        return str(run.state)
    report = Report()
    if standing.paused:
        run.state, run.paused = Run.State.SKIPPED, True
    elif now >= closing_of(market, run.date):
        # The delivery day is over: placing now would deliver on another day than the buyer asked for.
        run.state = Run.State.MISSED
    else:
        _place(run, standing, report, now)
    run.report, run.settled_at = report.as_json(), now
    run.save(update_fields=["state", "paused", "order", "report", "settled_at", "updated_at"])
    _tell(run, standing, report)
    return str(run.state)


def _place(run: Run, standing: StandingOrder, report: Report, now: datetime) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        lines = _lines_today(run, report)
        if not lines:
            run.state = Run.State.EMPTY
            return
        try:
            # A savepoint: a refusal (outside the delivery radius, a full slot) also undoes the cart swap.
            with transaction.atomic():
                checkout = _checkout(run, standing, now)
                run.order = _place_with_lines(run, standing, checkout, lines, report)
        except DomainError as error:
            report.reason = str(error.message)
            run.state = Run.State.FAILED
            return
        run.state = Run.State.PLACED if run.order is not None else Run.State.EMPTY


def _lines_today(run: Run, report: Report) -> dict[int, tuple[RunLine, Decimal]]:
    """The run's lines as today's products allow: unavailable dropped, short stock capped; prices compared."""
    kept: dict[int, tuple[RunLine, Decimal]] = {}
    for line in run.lines.select_related("product__stall").order_by("product_id"):
        product = line.product
        quantity = line.quantity
        if not product.available or not product.stall.is_open or product.market_id != run.market_id:
            report.dropped.append({"name": product.name, "reason": "unavailable"})
            continue
        if product.stock is not None and product.stock < quantity:
            capped = Decimal(product.stock)
            if not _valid(product, capped):
                report.dropped.append({"name": product.name, "reason": "out_of_stock"})
                continue
            report.reduced.append(
                {
                    "name": product.name,
                    "got": format_quantity(capped),
                    "unit": product.unit,
                    "wanted": format_quantity(quantity),
                }
            )
            quantity = capped
        if not _valid(product, quantity):
            report.dropped.append({"name": product.name, "reason": "unavailable"})
            continue
        if product.price != line.price_seen:
            report.prices.append(
                {"name": product.name, "before": format_rupiah(line.price_seen), "after": format_rupiah(product.price)}
            )
        kept[product.pk] = (line, quantity)
    return kept


def _valid(product: Product, quantity: Decimal) -> bool:
    try:
        check_quantity(product, quantity)
    except DomainError:
        return False
    return True


def _checkout(run: Run, standing: StandingOrder, now: datetime) -> Checkout:
    slot_id = None
    if standing.fulfilment == StandingOrder.Fulfilment.PICKUP:
        assert standing.pickup_at is not None
        slots_ensure(market=standing.market, day=run.date)
        starts = datetime.combine(run.date, standing.pickup_at, tzinfo=cutoff_of(standing.market, run.date).tzinfo)
        slot = PickupSlot.objects.filter(market=standing.market, starts_at=starts).first()
        if slot is None or slot.starts_at <= now:
            raise DomainError(_("This pickup time is full or not available; choose another."), code="slot_full")
        slot_id = slot.pk
    return Checkout(
        market=standing.market,
        fulfilment=standing.fulfilment,
        payment_method=standing.payment_method,
        idempotency_key=idempotency_key(run),
        address=standing.address,
        landmark=standing.landmark,
        latitude=standing.latitude,
        longitude=standing.longitude,
        pickup_slot_id=slot_id,
        note=standing.note,
        for_date=run.date,
    )


def _place_with_lines(
    run: Run, standing: StandingOrder, checkout: Checkout, lines: dict[int, tuple[RunLine, Decimal]], report: Report
) -> Order | None:
    """Put the lines in the buyer's cart (their own lines set aside), place, and put their cart back."""
    cart, _created = Cart.objects.get_or_create(buyer=standing.buyer, market=standing.market)
    cart = Cart.objects.select_for_update().get(pk=cart.pk)
    own_lines = list(CartLine.objects.filter(cart=cart))
    own_requests = list(CartRequest.objects.filter(cart=cart))
    CartLine.objects.filter(cart=cart).delete()
    CartRequest.objects.filter(cart=cart).delete()
    order = None
    for _attempt in range(MAX_ATTEMPTS):
        if not lines:
            break
        CartLine.objects.filter(cart=cart).delete()
        CartLine.objects.bulk_create(
            CartLine(cart=cart, product_id=pk, quantity=quantity, note=_note(line))
            for pk, (line, quantity) in lines.items()
        )
        try:
            order = order_place(buyer=standing.buyer, checkout=checkout)
            break
        except InsufficientStock as short:
            # Someone took the last units since ``_lines_today`` read them: drop those and try again.
            for pk, (line, _q) in list(lines.items()):
                if line.product.name in short.names:
                    report.dropped.append({"name": line.product.name, "reason": "out_of_stock"})
                    del lines[pk]
    CartLine.objects.filter(cart=cart).delete()
    for item in own_lines:
        item.pk = None
    for request in own_requests:
        request.pk = None
    CartLine.objects.bulk_create(own_lines)
    CartRequest.objects.bulk_create(own_requests)
    return order


def _note(line: RunLine) -> str:
    if line.substitution == Substitution.NONE:
        return f"{_('No substitute')}. {line.note}".strip()[:200]
    return line.note


def _tell(run: Run, standing: StandingOrder, report: Report) -> None:
    url = reverse("standing:detail", kwargs={"pk": standing.pk})
    with translation.override(settings.LANGUAGE_CODE):
        params: dict[str, Any] = {
            "name": standing.name,
            "date": formats.date_format(run.date, "l, j F Y"),
            "changes": report.summary(),
            "url": url,
        }
    template: Template
    if run.state == Run.State.PLACED:
        assert run.order is not None
        template, params["number"] = templates.STANDING_PLACED, run.order.number
    elif run.state == Run.State.EMPTY:
        template = templates.STANDING_EMPTY
    elif run.state == Run.State.MISSED:
        template = templates.STANDING_MISSED
    elif run.state == Run.State.FAILED:
        template, params["reason"] = templates.STANDING_FAILED, report.reason
    else:
        return
    notify(
        user=standing.buyer,
        key=f"standing:{run.pk}:{run.state}",
        template=template,
        params=params,
        url=url,
        market_id=standing.market_id,
    )
