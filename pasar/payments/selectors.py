"""Reads of the payments app: the day's settlement of a market, the buyer's payment panel, pending transfers."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from pasar.markets.models import Market
from pasar.orders.models import Order
from pasar.payments import qris
from pasar.payments.models import Account, Entry, PaymentAttempt, Posting

Kind = Account.Kind


@dataclass(frozen=True)
class TraderLine:
    name: str
    owed: int
    refunded: int = 0  # given back to buyers after complaints (already taken off ``owed``)
    user_id: int | None = field(default=None, compare=False)  # the trader's login, for the day's message


@dataclass
class CourierLine:
    name: str
    cash_held: int = 0
    fees_earned: int = 0  # their share of the delivery fees
    reimbursed: int = 0  # cari-di-pasar purchases they paid for the buyers with their own cash

    @property
    def owed(self) -> int:
        return self.fees_earned + self.reimbursed

    @property
    def to_hand_in(self) -> int:
        """Cash the courier brings to the market after keeping their fees and purchases (negative: the market
        pays them)."""
        return self.cash_held - self.owed


@dataclass(frozen=True)
class Settlement:
    """What a market owes and holds for one market day, from the ledger; ``reconciles`` must hold."""

    market: Market
    day: date
    orders: int
    traders: list[TraderLine]
    couriers: list[CourierLine]
    operator_fee: int
    bank_received: int
    cash_held: int
    buyer_credit: int = 0  # refunds kept as the buyers' credit for their next order
    goods_and_fees: int = field(init=False)

    def __post_init__(self) -> None:
        owed = sum(t.owed for t in self.traders) + sum(c.owed for c in self.couriers) + self.operator_fee
        owed += self.buyer_credit
        object.__setattr__(self, "goods_and_fees", owed)

    @property
    def money_in(self) -> int:
        return self.cash_held + self.bank_received

    @property
    def reconciles(self) -> bool:
        """Every rupiah received is owed to someone: traders, couriers or the operator."""
        return self.money_in == self.goods_and_fees


def settlement_for(*, market: Market, day: date) -> Settlement:
    """Per trader what the market owes, per courier cash held and fees earned, the operator's fee, for ``day``."""
    entries = Entry.objects.filter(market=market, day=day)
    sums = (
        Posting.objects.filter(entry__in=entries)
        .values("account__kind", "account__name", "account__user_id", "account__code")
        .annotate(total=Sum("amount"))
        .order_by("account__name", "account__code")
    )
    refunded = dict(
        Posting.objects.filter(entry__in=entries.filter(kind=Entry.Kind.REFUND), account__kind=Kind.TRADER)
        .values("account__code")
        .annotate(total=Sum("amount"))
        .values_list("account__code", "total")
    )
    traders: list[TraderLine] = []
    couriers: dict[str, CourierLine] = {}
    operator_fee = bank = cash = credit = 0
    for row in sums:
        kind, total = row["account__kind"], int(row["total"] or 0)
        if kind == Kind.TRADER:
            code = row["account__code"]
            traders.append(
                TraderLine(
                    name=row["account__name"],
                    owed=-total,
                    refunded=int(refunded.get(code) or 0),
                    user_id=row["account__user_id"],
                )
            )
        elif kind == Kind.BUYER:
            credit -= total
        elif kind in (Kind.COURIER, Kind.COURIER_CASH):
            key = str(row["account__user_id"] or row["account__code"])
            line = couriers.setdefault(key, CourierLine(name=row["account__name"]))
            if kind == Kind.COURIER:
                line.fees_earned -= total  # fees and reimbursements together: split below
            else:
                line.cash_held += total
                cash += total
        elif kind == Kind.OPERATOR:
            operator_fee -= total
        elif kind == Kind.BANK:
            bank += total
    for courier_id, bought in _reimbursed(entries).items():
        held = couriers.get(str(courier_id))
        if held is not None:  # the same courier account holds both: the fee is what is not a reimbursement
            held.fees_earned -= bought
            held.reimbursed += bought
    orders = entries.filter(kind=Entry.Kind.DELIVERED).count() - entries.filter(kind=Entry.Kind.REVERSAL).count()
    return Settlement(
        market=market,
        day=day,
        orders=orders,
        traders=traders,
        couriers=sorted(couriers.values(), key=lambda c: c.name),
        operator_fee=operator_fee,
        bank_received=bank,
        cash_held=cash,
        buyer_credit=credit,
    )


def _reimbursed(entries: Any) -> dict[int, int]:
    """Per courier, the cari-di-pasar purchases reimbursed by the day's entries (reversals take them back)."""
    sign = {Entry.Kind.DELIVERED: 1, Entry.Kind.REVERSAL: -1}
    found: dict[int, int] = {}
    rows = entries.filter(order__bought_total__gt=0, order__courier__isnull=False).values_list(
        "kind", "order__courier_id", "order__bought_total"
    )
    for kind, courier_id, bought in rows:
        found[courier_id] = found.get(courier_id, 0) + sign.get(kind, 0) * bought
    return found


def ledger_imbalances() -> list[int]:
    """Entries whose postings do not sum to zero (always empty unless someone bypassed the service)."""
    totals = Posting.objects.values("entry_id").annotate(total=Sum("amount")).exclude(total=0)
    return sorted(row["entry_id"] for row in totals)


@dataclass(frozen=True)
class BankAccount:
    bank: str
    number: str
    holder: str


@dataclass(frozen=True)
class PaymentPanel:
    """What the buyer's order page shows about paying.

    ``step`` is one of: ``cash`` (pay the courier ``amount``), ``weighing`` (the amount follows the
    weighing; ``amount`` is the estimate), ``transfer`` (send exactly ``amount`` to ``bank``),
    ``qris`` (scan ``qr_svg`` before ``expires_at``; when it is None the page offers a button that calls
    ``qris_charge_create``), ``paid``, ``refunded`` or ``closed`` (cancelled before payment).
    """

    step: str
    method: str
    amount: int | None
    unique_code: int | None = None
    bank: BankAccount | None = None
    qr_svg: SafeString | None = None
    expires_at: datetime | None = None
    attempt_id: int | None = None


def qris_attempt_live(order: Order, amount: int) -> PaymentAttempt | None:
    """The newest pending QRIS attempt of ``order`` for ``amount`` that has not expired yet."""
    attempt = (
        PaymentAttempt.objects.filter(
            order=order, method=PaymentAttempt.Method.QRIS, state=PaymentAttempt.State.PENDING, amount=amount
        )
        .order_by("-pk")
        .first()
    )
    if attempt is None or (attempt.expires_at is not None and attempt.expires_at <= timezone.now()):
        return None
    return attempt


def payment_panel_for(order: Order) -> PaymentPanel:
    """The payment step of ``order`` for its buyer: what to pay, how, and the QR or bank details."""
    method, ps = order.payment_method, Order.PaymentState
    due = (order.goods_total if order.goods_total is not None else order.goods_estimate) + order.delivery_fee
    if order.payment_state == ps.PAID:
        return PaymentPanel(step="paid", method=method, amount=order.amount_due or due)
    if order.payment_state == ps.REFUNDED:
        return PaymentPanel(step="refunded", method=method, amount=order.amount_due)
    if order.state == Order.State.CANCELLED:
        return PaymentPanel(step="closed", method=method, amount=None)
    if method == Order.PaymentMethod.COD:
        return PaymentPanel(step="cash", method=method, amount=due)
    if method == Order.PaymentMethod.TEMPO:
        return PaymentPanel(step="tempo", method=method, amount=due)
    if order.payment_state != ps.AWAITING_PAYMENT or order.amount_due is None:
        return PaymentPanel(step="weighing", method=method, amount=due)
    if method == Order.PaymentMethod.TRANSFER:
        account: dict[str, Any] = settings.PASAR_TRANSFER_ACCOUNT
        bank = BankAccount(bank=account["bank"], number=account["number"], holder=account["holder"])
        return PaymentPanel(
            step="transfer", method=method, amount=order.amount_due, unique_code=order.unique_code, bank=bank
        )
    attempt = qris_attempt_live(order, order.amount_due)
    if attempt is None:
        return PaymentPanel(step="qris", method=method, amount=order.amount_due)
    # segno writes the SVG from the provider's checked payload: no user text goes into it unescaped.
    svg = mark_safe(qris.qr_svg(attempt.qr_string))  # noqa: S308
    return PaymentPanel(
        step="qris",
        method=method,
        amount=order.amount_due,
        qr_svg=svg,
        expires_at=attempt.expires_at,
        attempt_id=attempt.pk,
    )


def transfers_awaiting(*, market: Market) -> QuerySet[Order]:
    """The market's transfer orders waiting for money, by amount: what an operator matches bank mutations to."""
    return (
        Order.objects.filter(
            market=market,
            payment_method=Order.PaymentMethod.TRANSFER,
            payment_state=Order.PaymentState.AWAITING_PAYMENT,
        )
        .exclude(state=Order.State.CANCELLED)
        .select_related("buyer")
        .order_by("amount_due")
    )


def unposted_delivered_count(*, market: Market) -> int:
    """Delivered, paid orders of the market whose ledger entry is still missing (posted on the settlement's POST)."""
    return (
        Order.objects.filter(market=market, state=Order.State.DELIVERED, payment_state=Order.PaymentState.PAID)
        .exclude(ledger_entries__kind=Entry.Kind.DELIVERED)
        .count()
    )


def settlement_day_default(market: Market) -> date:
    """Today in the market's own time zone."""
    return timezone.now().astimezone(ZoneInfo(market.timezone)).date()


def attempts_of(order: Order) -> list[PaymentAttempt]:
    """The order's payment attempts, newest first, for the operator's confirmation page."""
    return list(PaymentAttempt.objects.filter(order=order).order_by("-pk"))
