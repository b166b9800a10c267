"""Reads of the business app: balances, what is outstanding, statements of account."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, Sum

from pasar.accounts.models import Business, User
from pasar.business.models import Invoice, PaymentTerms
from pasar.markets.models import Market
from pasar.orders.models import Order


def terms_for(*, business: Business, market: Market) -> PaymentTerms | None:
    return PaymentTerms.objects.filter(business=business, market=market).first()


def credited(invoice: Invoice) -> int:
    return int(invoice.credit_notes.aggregate(s=Sum("total"))["s"] or 0)


def paid(invoice: Invoice) -> int:
    return int(invoice.payments.aggregate(s=Sum("amount"))["s"] or 0)


def balance(invoice: Invoice) -> int:
    """What is still owed on a tempo invoice: its total less credit notes and recorded payments.

    A cash invoice was paid with its order (it is the business's receipt): nothing is owed on it."""
    if invoice.kind != Invoice.Kind.INVOICE or invoice.tempo_days is None:
        return 0
    return invoice.total - credited(invoice) - paid(invoice)


def order_exposure(order: Order) -> int:
    """The most an order can still cost: its weighed total, or the estimate with the cari-di-pasar caps."""
    if order.goods_total is not None:
        return order.total
    return order.goods_estimate + order.delivery_fee + order.search_cap


def outstanding(*, business: Business, market: Market) -> int:
    """Open invoices' balances plus tempo orders not invoiced yet (placed, on the way, or delivered)."""
    invoices = Invoice.objects.filter(
        business=business, market=market, kind=Invoice.Kind.INVOICE, tempo_days__isnull=False
    )
    owed = sum(balance(invoice) for invoice in invoices)
    uninvoiced = Order.objects.filter(
        business=business, market=market, payment_method=Order.PaymentMethod.TEMPO, invoice_link__isnull=True
    ).exclude(state=Order.State.CANCELLED)
    return owed + sum(order_exposure(order) for order in uninvoiced)


@dataclass(frozen=True)
class StatementRow:
    invoice: Invoice
    credited: int
    paid: int
    balance: int
    overdue: bool


@dataclass(frozen=True)
class Statement:
    business: Business
    market: Market | None
    on: date
    rows: list[StatementRow]

    @property
    def due(self) -> int:
        return sum(row.balance for row in self.rows)

    @property
    def overdue(self) -> int:
        return sum(row.balance for row in self.rows if row.overdue)


def statement(*, business: Business, on: date, market: Market | None = None) -> Statement:
    """Every invoice with something still owed on ``on``; overdue once its due date has passed."""
    invoices = Invoice.objects.filter(
        business=business, kind=Invoice.Kind.INVOICE, tempo_days__isnull=False
    ).select_related("market")
    if market is not None:
        invoices = invoices.filter(market=market)
    rows = []
    for invoice in invoices.order_by("due_on", "number"):
        c, p = credited(invoice), paid(invoice)
        left = invoice.total - c - p
        if left > 0:
            rows.append(StatementRow(invoice, c, p, left, invoice.due_on < on))
    return Statement(business=business, market=market, on=on, rows=rows)


def businesses_of(user: User) -> QuerySet[Business]:
    return Business.objects.filter(memberships__user=user).order_by("name")


def businesses_at_market(market: Market) -> QuerySet[Business]:
    """Businesses that ordered at the market or have terms there (the operator's list)."""
    return (
        Business.objects.filter(orders__market=market).union(Business.objects.filter(payment_terms__market=market))
    ).order_by("name")


def invoices_of(*, business: Business) -> QuerySet[Invoice]:
    return Invoice.objects.filter(business=business).select_related("market").order_by("-issued_on", "-number")
