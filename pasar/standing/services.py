"""Writing standing orders: create (from the cart or a past order), schedule, pause, and the dated drafts.

Every draft edit locks its run row and is refused once the market's cut-off for that date has passed
(the scheduler then owns it, ``placing.py``).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils import formats
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.core.errors import DomainError
from pasar.markets.models import Market
from pasar.orders.models import Cart, Order
from pasar.orders.pricing import check_quantity
from pasar.orders.services.slots import slot_plan
from pasar.standing.dates import LOOK_BACK, cutoff_of, local_today, schedule_dates
from pasar.standing.models import Run, RunLine, StandingLine, StandingOrder, Substitution

MAX_LINES = 60
PLAN_AHEAD = timedelta(days=366)


@dataclass(frozen=True)
class Schedule:
    every: str
    weekdays: str
    interval_days: int | None
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class Fulfilment:
    fulfilment: str
    payment_method: str
    address: str = ""
    landmark: str = ""
    latitude: float | None = None
    longitude: float | None = None
    pickup_at: time | None = None


@dataclass(frozen=True)
class LineInput:
    product: Product
    quantity: Decimal
    note: str = ""
    substitution: str = Substitution.ASK


def _check_schedule(market: Market, schedule: Schedule) -> None:
    if schedule.every == StandingOrder.Every.WEEKDAYS:
        days = "".join(sorted(set(schedule.weekdays)))
        if not days or not set(days) <= set("1234567"):
            raise DomainError(_("Choose at least one day of the week."), code="weekdays", field="weekdays")
        closed = [d for d in days if d not in market.open_days]
        if closed:
            raise DomainError(_("The market is closed on one of the chosen days."), code="closed_day", field="weekdays")
    elif schedule.every == StandingOrder.Every.DAYS:
        if schedule.interval_days is None or not 1 <= schedule.interval_days <= 60:
            raise DomainError(_("Every 1 to 60 days."), code="interval", field="interval_days")
    else:
        raise DomainError(_("Choose a schedule."), code="every")
    if schedule.ends_on is not None and schedule.ends_on < schedule.starts_on:
        raise DomainError(_("The end date is before the start date."), code="ends_before", field="ends_on")


def _check_fulfilment(market: Market, f: Fulfilment) -> None:
    if f.payment_method not in Order.PaymentMethod.values:
        raise DomainError(_("Choose how to pay."), code="payment_method_unknown")
    if f.fulfilment == StandingOrder.Fulfilment.DELIVERY:
        if f.latitude is None or f.longitude is None or not f.address.strip():
            raise DomainError(_("Give the delivery address and its point on the map."), code="address_required")
    elif f.fulfilment == StandingOrder.Fulfilment.PICKUP:
        if f.payment_method == Order.PaymentMethod.COD:
            raise DomainError(
                _("Cash on delivery needs delivery; at pickup pay by transfer or QRIS."), code="cod_pickup"
            )
        if f.pickup_at not in pickup_times(market):
            raise DomainError(_("Choose a pickup hour after the cut-off."), code="pickup_at", field="pickup_at")
    else:
        raise DomainError(_("Choose delivery, or pickup with a time."), code="fulfilment_unknown")


def pickup_times(market: Market) -> list[time]:
    """Pickup hours a standing order may use: the market's slots that start after its cut-off."""
    any_day = date(2026, 1, 5)
    return [
        slot.starts_at.timetz().replace(tzinfo=None)
        for slot in slot_plan(market, any_day)
        if slot.starts_at.timetz().replace(tzinfo=None) >= market.order_cutoff
    ]


def _check_lines(market: Market, lines: list[LineInput]) -> None:
    if not lines:
        raise DomainError(_("A standing order needs at least one product."), code="no_lines")
    if len(lines) > MAX_LINES:
        raise DomainError(_("A standing order holds at most 60 lines."), code="too_many_lines")
    for line in lines:
        if line.product.market_id != market.pk:
            raise DomainError(_("%(name)s is from another market.") % {"name": line.product.name}, code="wrong_market")
        check_quantity(line.product, line.quantity)


@transaction.atomic
def standing_create(
    *,
    buyer: User,
    market: Market,
    name: str,
    schedule: Schedule,
    fulfilment: Fulfilment,
    lines: list[LineInput],
    now: datetime,
    note: str = "",
) -> StandingOrder:
    _check_schedule(market, schedule)
    _check_fulfilment(market, fulfilment)
    _check_lines(market, lines)
    standing = StandingOrder.objects.create(
        buyer=buyer,
        market=market,
        name=" ".join(name.split())[:80] or _("Standing order"),
        every=schedule.every,
        weekdays="".join(sorted(set(schedule.weekdays))) if schedule.every == StandingOrder.Every.WEEKDAYS else "",
        interval_days=schedule.interval_days if schedule.every == StandingOrder.Every.DAYS else None,
        starts_on=schedule.starts_on,
        ends_on=schedule.ends_on,
        fulfilment=fulfilment.fulfilment,
        payment_method=fulfilment.payment_method,
        address=fulfilment.address.strip()[:250],
        landmark=" ".join(fulfilment.landmark.split())[:120],
        latitude=fulfilment.latitude,
        longitude=fulfilment.longitude,
        pickup_at=fulfilment.pickup_at if fulfilment.fulfilment == StandingOrder.Fulfilment.PICKUP else None,
        note=note.strip()[:250],
        planned_from=now,
    )
    StandingLine.objects.bulk_create(
        StandingLine(
            standing=standing,
            product=line.product,
            quantity=line.quantity,
            note=line.note.strip()[:200],
            substitution=line.substitution,
        )
        for line in {line.product.pk: line for line in lines}.values()
    )
    runs_plan(standing, now=now)
    return standing


def lines_from_cart(*, buyer: User, market: Market) -> list[LineInput]:
    cart = Cart.objects.filter(buyer=buyer, market=market).first()
    if cart is None:
        return []
    return [
        LineInput(product=line.product, quantity=line.quantity, note=line.note)
        for line in cart.lines.select_related("product")
    ]


def lines_from_order(order: Order) -> list[LineInput]:
    """A past order's products and ordered quantities (a substitute's original line is the one kept)."""
    from pasar.orders.models import OrderLine

    lines = OrderLine.objects.filter(part__order=order, substitute_for__isnull=True).select_related("product")
    return [LineInput(product=line.product, quantity=line.quantity, note=line.note) for line in lines]


@transaction.atomic
def standing_set_schedule(*, standing: StandingOrder, schedule: Schedule, now: datetime) -> None:
    """A new schedule re-plans at once: future drafts off the new schedule go, the next date gets its draft."""
    standing = StandingOrder.objects.select_for_update().select_related("market").get(pk=standing.pk)
    _check_schedule(standing.market, schedule)
    standing.every = schedule.every
    standing.weekdays = "".join(sorted(set(schedule.weekdays))) if schedule.every == "weekdays" else ""
    standing.interval_days = schedule.interval_days if schedule.every == "days" else None
    standing.starts_on, standing.ends_on = schedule.starts_on, schedule.ends_on
    standing.planned_from = now
    standing.save()
    keep = set(_future_dates(standing, now))
    for run in standing.runs.filter(
        state__in=[Run.State.DRAFT, Run.State.SKIPPED], date__gte=local_today(standing.market, now)
    ):
        if cutoff_of(standing.market, run.date) > now and run.date not in keep:
            run.delete()
    runs_plan(standing, now=now)


def _future_dates(standing: StandingOrder, now: datetime) -> list[date]:
    today = local_today(standing.market, now)
    return list(schedule_dates(standing, start=today, end=today + PLAN_AHEAD))


@transaction.atomic
def standing_set_paused(*, standing: StandingOrder, paused: bool, now: datetime) -> None:
    """Paused: no run is placed (each date at its cut-off is recorded as skipped); resumed: the next draft."""
    StandingOrder.objects.filter(pk=standing.pk).update(paused=paused, updated_at=now)
    standing.paused = paused
    if not paused:
        runs_plan(standing, now=now)


def runs_plan(standing: StandingOrder, *, now: datetime) -> Run | None:
    """Create the runs from the last settled date up to the next date still open for edits; returns that one.

    Dates the scheduler did not reach (an outage) get their rows too, so ``placing.runs_settle`` records
    each of them (placed late, or missed) instead of silently skipping it.
    """
    market = standing.market
    today = local_today(market, now)
    # Settled: placed, skipped, missed... by the job, or a date already past. A date the buyer skipped ahead
    # of its cut-off does not count, so a schedule edit may still add an earlier date before it.
    settled_runs = standing.runs.exclude(state=Run.State.DRAFT).filter(Q(settled_at__isnull=False) | Q(date__lt=today))
    settled = settled_runs.aggregate(last=Max("date"))["last"]
    start = max(today - LOOK_BACK, (settled + timedelta(days=1)) if settled else standing.starts_on)
    existing = {run.date: run for run in standing.runs.filter(date__gte=start)}
    for day in schedule_dates(standing, start=start, end=today + PLAN_AHEAD):
        if cutoff_of(market, day) <= standing.planned_from:
            continue
        run = existing.get(day) or _run_create(standing, day)
        # The first date still open that the buyer has not skipped is the next draft: planning stops there.
        if cutoff_of(market, day) > now and run.state != Run.State.SKIPPED:
            return run
    return None


def _run_create(standing: StandingOrder, day: date) -> Run:
    run, created = Run.objects.get_or_create(standing=standing, date=day, defaults={"market_id": standing.market_id})
    if created:
        RunLine.objects.bulk_create(
            RunLine(
                run=run,
                product=line.product,
                quantity=line.quantity,
                price_seen=line.product.price,
                note=line.note,
                substitution=line.substitution,
            )
            for line in standing.lines.select_related("product")
        )
    return run


def upcoming(standing: StandingOrder, *, now: datetime) -> list[Run]:
    """Dates still open for edits, in order: skipped ones (which may be un-skipped), then the next draft."""
    today = local_today(standing.market, now)
    found = []
    for run in standing.runs.filter(date__gte=today, state__in=[Run.State.DRAFT, Run.State.SKIPPED]):
        if cutoff_of(standing.market, run.date) > now:
            found.append(run)
            if run.state == Run.State.DRAFT:
                break
    return found


def next_run(standing: StandingOrder, *, now: datetime) -> Run | None:
    """The next date still open for edits that is not skipped (the draft the buyer sees)."""
    runs = upcoming(standing, now=now)
    return runs[-1] if runs and runs[-1].state == Run.State.DRAFT else None


def _open_run(run: Run, now: datetime) -> Run:
    """Lock the run; refuse when its cut-off has passed or it is no longer a draft."""
    locked = Run.objects.select_for_update().select_related("standing__market").get(pk=run.pk)
    market = locked.standing.market
    cutoff = cutoff_of(market, locked.date)
    if now >= cutoff:
        raise DomainError(
            _("Orders for %(date)s closed at %(time)s: this delivery can no longer be changed.")
            % {"date": formats.date_format(locked.date, "l, j F"), "time": f"{market.order_cutoff:%H.%M}"},
            code="after_cutoff",
        )
    if locked.state not in (Run.State.DRAFT, Run.State.SKIPPED):
        raise DomainError(_("This delivery is already settled."), code="settled")
    return locked


@transaction.atomic
def run_set_line(*, run: Run, product: Product, quantity: Decimal, now: datetime) -> None:
    """Change one date's quantity of a product (0 removes the line; a new product adds one)."""
    locked = _open_run(run, now)
    if product.market_id != locked.standing.market_id:
        raise DomainError(_("%(name)s is from another market.") % {"name": product.name}, code="wrong_market")
    if quantity == 0:
        RunLine.objects.filter(run=locked, product=product).delete()
    else:
        check_quantity(product, quantity)
        if not RunLine.objects.filter(run=locked, product=product).exists() and locked.lines.count() >= MAX_LINES:
            raise DomainError(_("A standing order holds at most 60 lines."), code="too_many_lines")
        RunLine.objects.update_or_create(
            run=locked, product=product, defaults={"quantity": quantity, "price_seen": product.price}
        )
    Run.objects.filter(pk=locked.pk).update(edited=True, updated_at=now)


@transaction.atomic
def run_set_skipped(*, run: Run, skipped: bool, now: datetime) -> None:
    locked = _open_run(run, now)
    locked.state = Run.State.SKIPPED if skipped else Run.State.DRAFT
    locked.save(update_fields=["state", "updated_at"])
    if skipped:
        runs_plan(locked.standing, now=now)  # the date after it gets its draft at once, to check and edit
