"""Writes of complaints: open (buyer), answer (trader), escalate (silence), decide (operator).

Every write locks the order row first (the orders app's rule: writers of one order queue), then the
complaint row; states only move forward (``models.NEXT``), and a replay of the same step returns the
complaint unchanged. A refund is posted to the ledger in the same transaction (``ledger_post_refund``),
so a complaint is never resolved with money that did not move, nor money moved twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.catalog.services import photo_resize
from pasar.complaints.models import NEXT, Complaint
from pasar.core.errors import DomainError
from pasar.core.money import format_rupiah
from pasar.orders import events
from pasar.orders.models import Order, OrderLine
from pasar.payments.services import LedgerError, ledger_post_refund
from pasar.payments.services.ledger import REFUND_CREDIT, REFUND_PROVIDER

# How long a trader has to answer before the complaint goes to the operator (Tokopedia: 3 days; a pasar
# sells fresh food, so one day).
ANSWER_WITHIN = timedelta(hours=24)
MAX_TEXT = 500

R, CS = Complaint.Remedy, Complaint.State


@dataclass(frozen=True)
class ComplaintInput:
    line_id: int
    reason: str
    remedy: str
    amount: int | None = None  # rupiah, for a partial refund
    description: str = ""


def delivered_at(order: Order) -> datetime | None:
    """When the order reached the buyer (delivered by the courier or handed over at the pickup point)."""
    event = order.events.filter(kind="order_delivered").order_by("pk").first()
    return event.created_at if event is not None else None


def window_closes_at(order: Order) -> datetime | None:
    at = delivered_at(order)
    return None if at is None else at + timedelta(hours=order.market.complaint_window_hours)


def _lock(order_id: int) -> Order:
    # ``of=self``: on PostgreSQL a plain FOR UPDATE would lock the joined market row too.
    return Order.objects.select_for_update(of=("self",)).select_related("market").get(pk=order_id)


def _move(complaint: Complaint, new: str) -> None:
    if new not in NEXT[complaint.state]:
        raise DomainError(_("This complaint can no longer change that way."), code="complaint_state")
    complaint.state = new


@transaction.atomic
def complaint_open(
    *, buyer: User, order: Order, data: ComplaintInput, photo: UploadedFile[bytes] | None = None
) -> Complaint:
    """The buyer complains about one line of their delivered order, inside the market's window.

    A second complaint about the same line returns the first (a double tap); nothing else is written.
    """
    order = _lock(order.pk)
    if order.buyer_id != buyer.pk:
        raise DomainError(_("This order is not yours."), code="not_your_order")
    line = OrderLine.objects.filter(pk=data.line_id, part__order=order).select_related("part").first()
    if line is None:
        raise DomainError(_("This line is not part of the order."), code="unknown_line", field="line")
    existing = Complaint.objects.filter(line=line).first()
    if existing is not None:
        return existing
    if order.state != Order.State.DELIVERED:
        raise DomainError(_("You can complain once the order is delivered or picked up."), code="not_delivered")
    closes = window_closes_at(order)
    if closes is None or timezone.now() > closes:
        hours = order.market.complaint_window_hours
        raise DomainError(
            _("The time to complain has passed: %(hours)s hours after delivery.") % {"hours": hours},
            code="window_closed",
        )
    if data.reason not in Complaint.Reason.values:
        raise DomainError(_("Choose a reason."), code="reason", field="reason")
    if data.remedy not in R.values:
        raise DomainError(_("Choose what you ask for."), code="remedy", field="remedy")
    paid = line.amount
    if paid <= 0:
        raise DomainError(_("Nothing was charged for this line."), code="line_not_charged", field="line")
    if data.remedy == R.REFUND_FULL:
        asked = paid
    elif data.remedy == R.REFUND_PART:
        asked = data.amount or 0
        if not 0 < asked <= paid:
            raise DomainError(
                _("Ask for an amount between Rp1 and %(paid)s, what this line cost.") % {"paid": format_rupiah(paid)},
                code="amount_range",
                field="amount",
            )
    else:
        asked = 0
    description = data.description.strip()
    if len(description) > MAX_TEXT:
        raise DomainError(_("Keep the description under 500 characters."), code="too_long", field="description")
    webp = photo_resize(photo) if photo is not None else None
    complaint = Complaint(
        order=order,
        line=line,
        market=order.market,
        stall_id=line.part.stall_id,
        buyer=buyer,
        reason=data.reason,
        description=description,
        remedy=data.remedy,
        amount_asked=asked,
        answer_due_at=timezone.now() + ANSWER_WITHIN,
    )
    complaint.save()
    if webp is not None:
        complaint.photo.save(f"k{complaint.pk}.webp", ContentFile(webp), save=False)
        complaint.save(update_fields=["photo", "updated_at"])
    events.record(
        order,
        "complaint_opened",
        actor=buyer,
        complaint=complaint.pk,
        line=line.pk,
        stall=complaint.stall_id,
        reason=data.reason,
        remedy=data.remedy,
        amount=asked,
    )
    return complaint


def _refund(complaint: Complaint, order: Order, amount: int, method: str, actor: User) -> None:
    if amount > complaint.line.amount:
        raise DomainError(
            _("A refund cannot be more than the line cost: %(paid)s.") % {"paid": format_rupiah(complaint.line.amount)},
            code="refund_above_paid",
            field="amount",
        )
    try:
        entry = ledger_post_refund(
            order=order, part=complaint.line.part, amount=amount, method=method, memo=f"{order.number} #{complaint.pk}"
        )
    except LedgerError as error:
        raise DomainError(error.message, code=error.code, field="method") from error
    complaint.refund_amount, complaint.refund_method, complaint.refund_entry = amount, method, entry
    events.record(order, "refund_posted", actor=actor, complaint=complaint.pk, amount=amount, method=method)


def answer_overdue(complaint: Complaint) -> bool:
    return complaint.state == CS.OPEN and timezone.now() > complaint.answer_due_at


def default_refund_method(order: Order) -> str:
    """Online payments go back to the payment account; cash on delivery becomes credit for the next order,
    and a tempo order's refund a credit note against the business's invoice."""
    if order.payment_method == Order.PaymentMethod.TEMPO:
        return REFUND_CREDIT
    return REFUND_PROVIDER if order.payment_method != Order.PaymentMethod.COD else REFUND_CREDIT


def _locked_complaint(complaint_id: int) -> tuple[Order, Complaint]:
    order_id = Complaint.objects.filter(pk=complaint_id).values_list("order_id", flat=True).get()
    order = _lock(order_id)
    complaint = Complaint.objects.select_for_update(of=("self",)).select_related("line__part").get(pk=complaint_id)
    return order, complaint


@transaction.atomic
def complaint_answer(*, complaint: Complaint, trader: User, agree: bool, note: str = "") -> Complaint:
    """The stall's trader agrees (the remedy is granted at once) or disagrees (the operator decides)."""
    order, complaint = _locked_complaint(complaint.pk)
    wanted = CS.AGREED if agree else CS.DISAGREED
    if complaint.state == wanted:
        return complaint  # a replayed answer
    if complaint.state != CS.OPEN:
        raise DomainError(_("This complaint was already answered."), code="already_answered")
    if timezone.now() > complaint.answer_due_at:
        raise DomainError(_("The time to answer has passed: the market operator decides."), code="answer_late")
    note = note.strip()
    if len(note) > MAX_TEXT:
        raise DomainError(_("Keep the note under 500 characters."), code="too_long", field="note")
    if not agree and not note:
        raise DomainError(_("Tell the buyer and the operator why you disagree."), code="note_required", field="note")
    _move(complaint, wanted)
    complaint.answered_at, complaint.trader_note = timezone.now(), note
    if agree and complaint.amount_asked:
        _refund(complaint, order, complaint.amount_asked, default_refund_method(order), trader)
    complaint.save()
    events.record(order, "complaint_answered", actor=trader, complaint=complaint.pk, agree=agree)
    return complaint


def _escalate(order: Order, complaint: Complaint) -> None:
    _move(complaint, CS.ESCALATED)
    complaint.save(update_fields=["state", "updated_at"])
    events.record(order, "complaint_escalated", complaint=complaint.pk)


def complaints_escalate_overdue() -> int:
    """Every open complaint past its answer deadline goes to the operator; returns how many moved."""
    moved = 0
    overdue = Complaint.objects.filter(state=CS.OPEN, answer_due_at__lt=timezone.now()).order_by("pk")
    for complaint_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            order, complaint = _locked_complaint(complaint_id)
            if complaint.state == CS.OPEN and complaint.answer_due_at < timezone.now():
                _escalate(order, complaint)
                moved += 1
    return moved


@transaction.atomic
def complaint_decide(
    *, complaint: Complaint, operator: User, refund: int, method: str = "", note: str = ""
) -> Complaint:
    """The operator grants a refund (whole or partial, ``refund`` rupiah) or rejects (``refund`` 0)."""
    order, complaint = _locked_complaint(complaint.pk)
    if complaint.state == CS.DECIDED:
        if complaint.refund_amount == refund:
            return complaint  # a replayed decision
        raise DomainError(_("This complaint is already decided."), code="already_decided")
    if complaint.state == CS.OPEN:
        if timezone.now() <= complaint.answer_due_at:
            raise DomainError(_("The trader may still answer until the deadline."), code="trader_may_answer")
        _escalate(order, complaint)  # the scheduler had not run yet
    if type(refund) is not int or refund < 0:
        raise DomainError(_("Enter the refund in whole rupiah (0 to reject)."), code="refund_amount", field="amount")
    note = note.strip()
    if len(note) > MAX_TEXT:
        raise DomainError(_("Keep the note under 500 characters."), code="too_long", field="note")
    _move(complaint, CS.DECIDED)
    complaint.decided_at, complaint.decided_by, complaint.decision_note = timezone.now(), operator, note
    if refund:
        _refund(complaint, order, refund, method or default_refund_method(order), operator)
    complaint.save()
    events.record(
        order, "complaint_decided", actor=operator, complaint=complaint.pk, stall=complaint.stall_id, refund=refund
    )
    return complaint
