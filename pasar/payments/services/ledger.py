"""The double-entry ledger: the only code that writes ``Entry`` and ``Posting`` rows.

Signed integer rupiah, debit positive. A delivered order posts one entry:

- buyer: +paid (charged) and -paid (paid), so the buyer owes nothing once delivered;
- courier cash (cash on delivery) or the market's bank account (transfer, QRIS): +paid, where the money is;
- each stall's trader: -(the stall's line amounts - operator fee), what the market owes them;
- the courier: -(delivery fee - the operator's share of it, if configured), what they earned;
- the courier again: -(approved cari-di-pasar prices), the cash they paid in the market for the buyer;
- the operator: -(the fees taken from the stalls + its share of the delivery fee + a transfer's unique code,
  paid on top of the total).

Money in (cash + bank) therefore equals money owed (traders + couriers + operator), entry by entry.

A tempo order (a business paying on its invoice) has no money in yet: the business's receivable account
takes +total in place of the buyer and holder legs, and the invoice's payment later posts a ``receipt``
(bank +paid, receivable -paid), so the receivable's balance is exactly what the business still owes.
"""

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.models import Market
from pasar.orders.models import PAY_LATER, Order, OrderLine, StallOrder
from pasar.payments.models import Account, Entry, Posting

Kind = Account.Kind
logger = logging.getLogger(__name__)


class LedgerError(DomainError):
    """An entry that would not balance, or an order whose figures do not add up: nothing is posted."""


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: int


def operator_fee_percent(market: Market) -> Decimal:
    """The operator's cut of traders' sales at ``market``, in percent (settings; 0 when unset or invalid)."""
    by_market: Mapping[str, object] = settings.PASAR_OPERATOR_FEE_PERCENT_BY_MARKET
    value = by_market.get(market.slug, settings.PASAR_OPERATOR_FEE_PERCENT)
    try:
        percent = Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)
    return percent if percent.is_finite() and 0 <= percent <= 100 else Decimal(0)


def operator_fee(amount: int, percent: Decimal) -> int:
    return int((Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def delivery_operator_share(fee: int) -> int:
    """The operator's share of a delivery fee (``PASAR_DELIVERY_OPERATOR_SHARE_PERCENT``, default 0)."""
    try:
        percent = Decimal(str(settings.PASAR_DELIVERY_OPERATOR_SHARE_PERCENT))
    except InvalidOperation:
        return 0
    if not percent.is_finite() or not 0 <= percent <= 100:
        return 0
    return operator_fee(fee, percent)


def _account(code: str, kind: str, name: str, *, market: Market | None = None, user: User | None = None) -> Account:
    account, _created = Account.objects.get_or_create(
        code=code, defaults={"kind": kind, "name": name[:150], "market": market, "user": user}
    )
    return account


def entry_post(
    *,
    kind: str,
    legs: list[Leg],
    day: date,
    memo: str = "",
    order: Order | None = None,
    market: Market | None = None,
    reverses: Entry | None = None,
) -> Entry:
    """Write one entry whose postings sum to zero (zero legs dropped); refuses anything else."""
    legs = [leg for leg in legs if leg.amount != 0]
    if any(isinstance(leg.amount, bool) or not isinstance(leg.amount, int) for leg in legs):
        raise LedgerError(_("Ledger amounts are whole rupiah."), code="ledger_not_integer")
    if len(legs) < 2 or sum(leg.amount for leg in legs) != 0:
        raise LedgerError(_("A ledger entry must balance to zero."), code="ledger_unbalanced")
    with transaction.atomic():
        entry = Entry.objects.create(order=order, market=market, day=day, kind=kind, memo=memo[:200], reverses=reverses)
        Posting.objects.bulk_create([Posting(entry=entry, account=leg.account, amount=leg.amount) for leg in legs])
    return entry


def _stall_amounts(order: Order) -> dict[StallOrder, int]:
    amounts: dict[StallOrder, int] = defaultdict(int)
    parts = {part.pk: part for part in order.parts.select_related("stall__trader__user")}
    for line in OrderLine.objects.filter(part__order=order):
        amounts[parts[line.part_id]] += line.amount
    return amounts


def _holder(order: Order) -> Account:
    """Where the order's money sits: the market's bank (transfer, QRIS) or the cash of whoever collected it."""
    market = order.market
    if order.payment_method != Order.PaymentMethod.COD:
        return _account(f"bank:{market.pk}", Kind.BANK, _("Bank · %(market)s") % {"market": market.name}, market=market)
    if order.courier is not None:
        return _account(
            f"courier_cash:{market.pk}:{order.courier_id}",
            Kind.COURIER_CASH,
            order.courier.name,
            market=market,
            user=order.courier,
        )
    # Cash paid at the pickup point is held by the market's counter until it is handed over.
    return _account(
        f"pickup_cash:{market.pk}",
        Kind.COURIER_CASH,
        _("Pickup point · %(market)s") % {"market": market.name},
        market=market,
    )


def receivable_account(*, market: Market, business_id: int, name: str) -> Account:
    """What the business owes the market for its delivered, unpaid tempo orders."""
    return _account(f"receivable:{market.pk}:{business_id}", Kind.RECEIVABLE, name, market=market)


def _tempo_receivable(order: Order) -> Account:
    if order.business is None:
        raise LedgerError(_("A tempo order needs the business it was for."), code="ledger_no_business")
    return receivable_account(market=order.market, business_id=order.business.pk, name=order.business.name)


def _order_legs(order: Order) -> list[Leg]:
    market, total = order.market, order.total
    tempo = order.payment_method == Order.PaymentMethod.TEMPO
    # A transfer's unique code (1-999) is paid on top of the total; the operator keeps it.
    paid = total if order.payment_method in PAY_LATER else (order.amount_due or 0)
    if paid < total:
        raise LedgerError(_("The amount paid is less than the order's total."), code="ledger_underpaid")
    stall_amounts = _stall_amounts(order)
    if sum(stall_amounts.values()) != (order.goods_total or 0):
        raise LedgerError(_("The stalls' amounts do not add up to the order's total."), code="ledger_goods_mismatch")
    if tempo:
        legs = [Leg(_tempo_receivable(order), paid)]
    else:
        buyer = _account(f"buyer:{order.buyer_id}", Kind.BUYER, order.buyer.name, user=order.buyer)
        legs = [Leg(buyer, paid), Leg(buyer, -paid), Leg(_holder(order), paid)]
    percent, fees = operator_fee_percent(market), paid - total
    for part, amount in sorted(stall_amounts.items(), key=lambda item: item[0].pk):
        fee = operator_fee(amount, percent)
        fees += fee
        trader = part.stall.trader.user
        account = _account(f"trader:{market.pk}:{trader.pk}", Kind.TRADER, trader.name, market=market, user=trader)
        legs.append(Leg(account, -(amount - fee)))
    if order.delivery_fee:
        if order.courier is None:
            raise LedgerError(_("A delivery fee needs a courier to earn it."), code="ledger_no_courier")
        courier = _account(
            f"courier:{market.pk}:{order.courier_id}",
            Kind.COURIER,
            order.courier.name,
            market=market,
            user=order.courier,
        )
        share = delivery_operator_share(order.delivery_fee)
        fees += share
        legs.append(Leg(courier, -(order.delivery_fee - share)))
    if order.bought_total:
        if order.courier is None:
            raise LedgerError(_("Cari-di-pasar purchases need the courier who paid them."), code="ledger_no_courier")
        # Reimbursement: the courier paid a stall in cash for the buyer's cari-di-pasar lines.
        shopper = _account(
            f"courier:{market.pk}:{order.courier_id}",
            Kind.COURIER,
            order.courier.name,
            market=market,
            user=order.courier,
        )
        legs.append(Leg(shopper, -order.bought_total))
    operator = _account(
        f"operator:{market.pk}", Kind.OPERATOR, _("Operator · %(market)s") % {"market": market.name}, market=market
    )
    legs.append(Leg(operator, -fees))
    return legs


def _postable(order: Order) -> bool:
    """Delivered and paid, or delivered on tempo terms (posted as the business's receivable)."""
    return order.state == Order.State.DELIVERED and (
        order.payment_state == Order.PaymentState.PAID or order.payment_method == Order.PaymentMethod.TEMPO
    )


def ledger_post_order(order: Order) -> Entry | None:
    """Post a delivered, paid (or tempo) order once; None when it is not (yet) postable. Idempotent."""
    with transaction.atomic():
        # The order's row lock queues two posters of the same order; the unique index is the backstop.
        order = Order.objects.select_for_update().get(pk=order.pk)
        if not _postable(order):
            return None
        existing = Entry.objects.filter(order=order, kind=Entry.Kind.DELIVERED).first()
        if existing is not None:
            return existing
        order = Order.objects.select_related("market", "buyer", "courier", "business").get(pk=order.pk)
        return entry_post(
            kind=Entry.Kind.DELIVERED,
            legs=_order_legs(order),
            day=order.for_date,
            memo=order.number,
            order=order,
            market=order.market,
        )


def ledger_post_delivered_orders(*, market: Market | None = None) -> int:
    """Post every delivered, paid order that has no entry yet (a catch-up); returns how many were posted."""
    pending = Order.objects.filter(
        Q(payment_state=Order.PaymentState.PAID) | Q(payment_method=Order.PaymentMethod.TEMPO),
        state=Order.State.DELIVERED,
    ).exclude(ledger_entries__kind=Entry.Kind.DELIVERED)
    if market is not None:
        pending = pending.filter(market=market)
    posted = 0
    for order in pending.order_by("pk"):
        try:
            entry = ledger_post_order(order)
        except LedgerError as error:
            # One order whose figures do not add up must not hide every other order's settlement.
            logger.error("order %s not posted: %s", order.number, error.code)
            continue
        posted += entry is not None
    return posted


REFUND_CASH, REFUND_CREDIT, REFUND_PROVIDER = "cash", "credit", "provider"


def ledger_post_refund(*, order: Order, part: StallOrder, amount: int, method: str, memo: str) -> Entry:
    """Give ``amount`` of a stall's goods back to the buyer: one balanced entry on today's market day.

    The stall's trader gives back what they were credited for it (the amount less the operator's fee at
    the same percent) and the operator its fee; the money leaves where the order's money sits
    (``provider``: the market's bank, refunded to the buyer's payment account; ``cash``: the cash the
    courier or the pickup point collected, handed back) or becomes the buyer's credit for the next
    order (``credit``). The order's delivery entry is posted first if it is still missing. Callers
    hold the order's lock and check the amount against what the line was paid.
    """
    if type(amount) is not int or amount <= 0:
        raise LedgerError(_("A refund is a positive whole rupiah amount."), code="refund_amount")
    order = Order.objects.select_related("market", "buyer", "courier", "business").get(pk=order.pk)
    if not _postable(order):
        raise LedgerError(_("Only a delivered, paid order can be refunded."), code="refund_not_paid")
    if method not in (REFUND_CASH, REFUND_CREDIT, REFUND_PROVIDER):
        raise LedgerError(_("Choose how the refund is paid."), code="refund_method")
    tempo = order.payment_method == Order.PaymentMethod.TEMPO
    if tempo and method != REFUND_CREDIT:
        raise LedgerError(
            _("A tempo order is refunded as a credit note on the business's invoice."), code="refund_method"
        )
    online = order.payment_method != Order.PaymentMethod.COD
    if (method == REFUND_PROVIDER) != online and method != REFUND_CREDIT:
        raise LedgerError(
            _("An order paid online is refunded to its payment account; cash on delivery as cash or credit."),
            code="refund_method",
        )
    if ledger_post_order(order) is None:  # pragma: no cover - delivered and paid was checked above
        raise LedgerError(_("Only a delivered, paid order can be refunded."), code="refund_not_paid")
    market = order.market
    fee = operator_fee(amount, operator_fee_percent(market))
    trader = StallOrder.objects.select_related("stall__trader__user").get(pk=part.pk).stall.trader.user
    trader_account = _account(f"trader:{market.pk}:{trader.pk}", Kind.TRADER, trader.name, market=market, user=trader)
    operator = _account(
        f"operator:{market.pk}", Kind.OPERATOR, _("Operator · %(market)s") % {"market": market.name}, market=market
    )
    if tempo:
        source = _tempo_receivable(order)  # the credit note lowers what the business owes
    elif method == REFUND_CREDIT:
        source = _account(f"buyer:{order.buyer_id}", Kind.BUYER, order.buyer.name, user=order.buyer)
    else:
        source = _holder(order)
    return entry_post(
        kind=Entry.Kind.REFUND,
        legs=[Leg(trader_account, amount - fee), Leg(operator, fee), Leg(source, -amount)],
        day=timezone.localdate(),
        memo=memo,
        order=order,
        market=market,
    )


def ledger_post_receipt(*, market: Market, business_id: int, name: str, amount: int, day: date, memo: str) -> Entry:
    """A business paid ``amount`` of its tempo invoices into the market's bank: the receivable falls by it."""
    if type(amount) is not int or amount <= 0:
        raise LedgerError(_("A payment is a positive whole rupiah amount."), code="receipt_amount")
    bank = _account(f"bank:{market.pk}", Kind.BANK, _("Bank · %(market)s") % {"market": market.name}, market=market)
    receivable = receivable_account(market=market, business_id=business_id, name=name)
    return entry_post(
        kind=Entry.Kind.RECEIPT,
        legs=[Leg(bank, amount), Leg(receivable, -amount)],
        day=day,
        memo=memo,
        market=market,
    )


def ledger_reverse(*, entry: Entry, memo: str, day: date | None = None) -> Entry:
    """Cancel an entry by posting its mirror image (on ``day``, default today); reversed at most once."""
    if entry.kind == Entry.Kind.REVERSAL or Entry.objects.filter(reverses=entry).exists():
        raise LedgerError(_("This entry is already reversed."), code="ledger_already_reversed")
    legs = [Leg(posting.account, -posting.amount) for posting in entry.postings.select_related("account")]
    try:
        return entry_post(
            kind=Entry.Kind.REVERSAL,
            legs=legs,
            day=day or timezone.localdate(),
            memo=memo,
            order=entry.order,
            market=entry.market,
            reverses=entry,
        )
    except IntegrityError as error:  # reversed concurrently: the one-to-one index kept it to one
        raise LedgerError(_("This entry is already reversed."), code="ledger_already_reversed") from error
