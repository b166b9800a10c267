"""Writes of the business app: profiles and members, the operator's terms, invoices, credit notes, payments."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import Business, BusinessMember, User
from pasar.business.models import Invoice, InvoiceOrder, InvoicePayment, InvoiceSequence, PaymentTerms
from pasar.business.selectors import balance
from pasar.complaints.models import Complaint
from pasar.core.errors import DomainError
from pasar.core.money import format_rupiah
from pasar.core.phone import normalize_phone
from pasar.markets.models import Market
from pasar.orders import events
from pasar.orders.models import Order, OrderLine, SearchLine
from pasar.payments.services import ledger_post_order, ledger_post_receipt

MAX_CREDIT_LIMIT = 1_000_000_000  # Rp 1 miliar: above any pasar's tempo line to one kitchen


@dataclass(frozen=True)
class BusinessInput:
    name: str
    kind: str
    address: str
    npwp: str = ""


def _clean(data: BusinessInput) -> dict[str, str]:
    name, address, npwp = data.name.strip(), data.address.strip(), "".join(c for c in data.npwp if c.isdigit())
    if not name or not address:
        raise DomainError(_("Give the business's name and address."), code="business_incomplete")
    if data.kind not in Business.Kind.values:
        raise DomainError(_("Choose what kind of business it is."), code="business_kind", field="kind")
    if npwp and len(npwp) not in (15, 16):
        raise DomainError(_("An NPWP has 15 or 16 digits."), code="npwp", field="npwp")
    return {"name": name[:120], "kind": data.kind, "address": address[:500], "npwp": npwp}


@transaction.atomic
def business_create(*, owner: User, data: BusinessInput) -> Business:
    business = Business.objects.create(**_clean(data))
    BusinessMember.objects.create(business=business, user=owner, is_owner=True)
    return business


def business_update(*, business: Business, data: BusinessInput) -> Business:
    for field, value in _clean(data).items():
        setattr(business, field, value)
    business.save()
    return business


def member_add(*, business: Business, phone: str) -> BusinessMember:
    """A contact person who may order for the business: someone who already has an account."""
    e164 = normalize_phone(phone)
    user = User.objects.filter(phone=e164).first() if e164 else None
    if user is None:
        raise DomainError(
            _("No account has this phone number: ask them to register first."), code="member_unknown", field="phone"
        )
    try:
        with transaction.atomic():
            return BusinessMember.objects.create(business=business, user=user)
    except IntegrityError:
        raise DomainError(_("This person is already a contact of the business."), code="member_twice") from None


def member_remove(*, business: Business, member_id: int) -> None:
    member = BusinessMember.objects.filter(business=business, pk=member_id).first()
    if member is None:
        raise DomainError(_("This person is not a contact of the business."), code="member_missing")
    if member.is_owner:
        raise DomainError(_("The owner cannot be removed."), code="member_owner")
    member.delete()


def terms_set(
    *, business: Business, market: Market, kind: str, days: int | None, credit_limit: int, invoicing: str, actor: User
) -> PaymentTerms:
    """The operator's terms for a business at their market: cash, or tempo 7/14/30 days under a limit."""
    if kind == PaymentTerms.Kind.CASH:
        days, credit_limit = None, 0
    elif kind == PaymentTerms.Kind.TEMPO:
        if days not in PaymentTerms.TEMPO_DAYS:
            raise DomainError(_("Tempo is 7, 14 or 30 days."), code="terms_days", field="days")
        if not 0 < credit_limit <= MAX_CREDIT_LIMIT:
            raise DomainError(_("Set a credit limit above zero."), code="terms_limit", field="credit_limit")
    else:
        raise DomainError(_("Choose cash or tempo."), code="terms_kind", field="kind")
    if invoicing not in PaymentTerms.Invoicing.values:
        raise DomainError(_("Choose how invoices are issued."), code="terms_invoicing", field="invoicing")
    terms, _created = PaymentTerms.objects.update_or_create(
        business=business,
        market=market,
        defaults={
            "kind": kind,
            "days": days,
            "credit_limit": credit_limit,
            "invoicing": invoicing,
            "set_by": actor,
            "updated_at": timezone.now(),
        },
    )
    return terms


# --- Invoices ---------------------------------------------------------------------------------------


def _next_number(market: Market) -> int:
    """The market's next invoice number, under the sequence row's lock (held to the issuing commit)."""
    InvoiceSequence.objects.get_or_create(market=market)
    sequence = InvoiceSequence.objects.select_for_update().get(market=market)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _seller(market: Market) -> dict[str, str]:
    return {"name": market.operator_name or market.name, "market": market.name, "address": market.address}


def _buyer(business: Business) -> dict[str, str]:
    return {
        "name": business.name,
        "kind": business.get_kind_display(),
        "address": business.address,
        "npwp": business.npwp,
    }


def _payment_details() -> str:
    account: dict[str, Any] = settings.PASAR_TRANSFER_ACCOUNT
    return f"{account['bank']} {account['number']} a.n. {account['holder']}"


def _order_lines(order: Order) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for line in OrderLine.objects.filter(part__order=order).order_by("pk"):
        if not line.amount:
            continue
        quantity = line.final_quantity if line.final_quantity is not None else line.quantity
        lines.append(
            {
                "order": order.number,
                "name": line.name,
                "quantity": f"{quantity.normalize():f}",
                "unit": line.unit,
                "unit_price": line.unit_price,
                "amount": line.amount,
            }
        )
    for search in order.search_lines.filter(state=SearchLine.State.APPROVED).order_by("pk"):
        amount = search.bought_amount or 0
        lines.append(
            {
                "order": order.number,
                "name": search.text,
                "quantity": "",
                "unit": search.quantity,  # as the buyer wrote it (2 papan)
                "unit_price": amount,
                "amount": amount,
            }
        )
    return lines


def _issue(
    *,
    market: Market,
    business: Business,
    orders: list[Order],
    terms: PaymentTerms | None,
    issued_on: date,
    period: tuple[date, date] | None = None,
) -> Invoice:
    tempo = terms is not None and terms.kind == PaymentTerms.Kind.TEMPO and terms.days is not None
    days = terms.days if tempo and terms is not None else None
    lines = [line for order in orders for line in _order_lines(order)]
    goods = sum(line["amount"] for line in lines)
    fees = sum(order.delivery_fee for order in orders)
    invoice = Invoice.objects.create(
        market=market,
        number=_next_number(market),
        business=business,
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=days or 0),
        tempo_days=days,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        seller=_seller(market),
        buyer=_buyer(business),
        lines=lines,
        goods_total=goods,
        delivery_fee=fees,
        total=goods + fees,
        payment_details=_payment_details() if tempo else _("Paid with the order."),
    )
    InvoiceOrder.objects.bulk_create(InvoiceOrder(invoice=invoice, order=order) for order in orders)
    return invoice


def invoice_issue_for_order(*, order: Order) -> Invoice | None:
    """After the handover: a business's order gets its invoice (unless its terms invoice weekly). Idempotent."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("market", "business").get(pk=order.pk)
        if order.business is None or order.state != Order.State.DELIVERED:
            return None
        existing = InvoiceOrder.objects.filter(order=order).select_related("invoice").first()
        if existing is not None:
            return existing.invoice
        terms = PaymentTerms.objects.filter(business=order.business, market=order.market).first()
        if order.payment_method == Order.PaymentMethod.TEMPO and terms and terms.invoicing == terms.Invoicing.WEEKLY:
            return None  # the week's invoice groups it (invoices_issue_weekly)
        if order.payment_method == Order.PaymentMethod.TEMPO:
            ledger_post_order(order)  # the receivable, before the invoice that asks for it
        else:
            terms = None  # paid already: the invoice is a receipt, due on its day
        return _issue(
            market=order.market, business=order.business, orders=[order], terms=terms, issued_on=timezone.localdate()
        )


def invoices_issue_weekly(*, today: date) -> int:
    """On Monday (or later, catching up), one invoice per weekly-tempo business for last week's deliveries."""
    week_start = today - timedelta(days=today.weekday() + 7)
    week_end = week_start + timedelta(days=6)
    issued = 0
    for terms in PaymentTerms.objects.filter(kind=PaymentTerms.Kind.TEMPO, invoicing=PaymentTerms.Invoicing.WEEKLY):
        with transaction.atomic():
            orders = list(
                Order.objects.select_for_update(of=("self",))
                .filter(
                    business_id=terms.business_id,
                    market_id=terms.market_id,
                    payment_method=Order.PaymentMethod.TEMPO,
                    state=Order.State.DELIVERED,
                    for_date__lte=week_end,
                    invoice_link__isnull=True,
                )
                .order_by("pk")
            )
            if not orders:
                continue
            for order in orders:
                ledger_post_order(order)
            _issue(
                market=terms.market,
                business=terms.business,
                orders=orders,
                terms=terms,
                issued_on=today,
                period=(week_start, week_end),
            )
            issued += 1
    return issued


def credit_note_for_complaint(*, complaint: Complaint) -> Invoice | None:
    """A refund on an invoiced order gets a credit note against that invoice, once per refund entry."""
    if complaint.refund_entry_id is None or not complaint.refund_amount:
        return None
    with transaction.atomic():
        link = (
            InvoiceOrder.objects.select_related("invoice__market", "invoice__business")
            .filter(order_id=complaint.order_id)
            .first()
        )
        if link is None:
            return None
        existing = Invoice.objects.filter(refund_entry_id=complaint.refund_entry_id).first()
        if existing is not None:
            return existing
        invoice = link.invoice
        line = complaint.line
        amount = min(complaint.refund_amount, max(balance(invoice), 0) if invoice.tempo_days else invoice.total)
        return Invoice.objects.create(
            market=invoice.market,
            number=_next_number(invoice.market),
            kind=Invoice.Kind.CREDIT_NOTE,
            business=invoice.business,
            issued_on=timezone.localdate(),
            due_on=timezone.localdate(),
            seller=_seller(invoice.market),
            buyer=_buyer(invoice.business),
            lines=[
                {
                    "order": complaint.order.number,
                    "name": line.name,
                    "quantity": "",
                    "unit": "",
                    "unit_price": amount,
                    "amount": amount,
                }
            ],
            goods_total=amount,
            total=amount,
            credits=invoice,
            refund_entry_id=complaint.refund_entry_id,
            payment_details=_("Refund after complaint #%(id)s") % {"id": complaint.pk},
        )


def credit_notes_catch_up() -> int:
    """Refunds on invoiced orders that have no credit note yet (the hook missed one): issue them."""
    made = 0
    refunded = Complaint.objects.filter(refund_entry__isnull=False, refund_entry__credit_note__isnull=True)
    for complaint in refunded.filter(order__invoice_link__isnull=False).select_related("line", "order"):
        made += credit_note_for_complaint(complaint=complaint) is not None
    return made


@transaction.atomic
def payment_record(*, invoice: Invoice, amount: int, reference: str, paid_on: date, actor: User) -> InvoicePayment:
    """The operator records a transfer against a tempo invoice: receipt posted, orders paid when settled."""
    invoice = Invoice.objects.select_related("market", "business").get(pk=invoice.pk)
    # The sequence row doubles as the market's invoice lock: two payments of one invoice queue here.
    InvoiceSequence.objects.select_for_update().filter(market=invoice.market).first()
    if invoice.kind != Invoice.Kind.INVOICE or invoice.tempo_days is None:
        raise DomainError(_("Only a tempo invoice is paid this way."), code="not_tempo_invoice")
    left = balance(invoice)
    if isinstance(amount, bool) or not 0 < amount <= left:
        raise DomainError(
            _("Record an amount between Rp1 and what is still owed (%(left)s).") % {"left": format_rupiah(left)},
            code="payment_amount",
            field="amount",
        )
    reference = reference.strip()[:100]
    if not reference:
        raise DomainError(_("Write the transfer's reference."), code="payment_reference", field="reference")
    entry = ledger_post_receipt(
        market=invoice.market,
        business_id=invoice.business_id,
        name=invoice.business.name,
        amount=amount,
        day=paid_on,
        memo=invoice.code,
    )
    payment = InvoicePayment.objects.create(
        invoice=invoice, amount=amount, paid_on=paid_on, reference=reference, recorded_by=actor, entry=entry
    )
    if amount == left:
        for link in invoice.invoice_orders.select_related("order"):
            order = Order.objects.select_for_update().get(pk=link.order_id)
            if order.payment_state != Order.PaymentState.PAID:
                order.payment_state = Order.PaymentState.PAID
                order.save(update_fields=["payment_state", "updated_at"])
                events.record(order, "paid", actor=actor, amount=order.total, source=invoice.code)
    return payment
