"""Complaint pages: the buyer complains from the order, the trader answers, the operator decides.

Plain forms (post, redirect, message); no JavaScript needed.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.complaints import access, selectors, services
from pasar.complaints.forms import AnswerForm, ComplaintForm, DecideForm
from pasar.core.errors import DomainError
from pasar.core.money import format_rupiah
from pasar.markets.access import market_for_operator_or_404
from pasar.orders.models import Order, OrderLine


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _show_errors(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def complaint_new(request: HttpRequest, number: str) -> HttpResponse:
    """The buyer picks a line of their delivered order, says what went wrong and what they ask for."""
    order = access.order_for_complainer_or_404(user=request.user, number=number)
    existing = selectors.complaints_of_order(order)
    lines = [
        line
        for line in OrderLine.objects.filter(part__order=order).select_related("part__stall")
        if line.amount > 0 and line.pk not in existing
    ]
    choices = [(line.pk, f"{line.name} · {format_rupiah(line.amount)}") for line in lines]
    form = ComplaintForm(request.POST or None, request.FILES or None, lines=choices)
    if request.method == "POST" and form.is_valid():
        data = services.ComplaintInput(
            line_id=form.cleaned_data["line"],
            reason=form.cleaned_data["reason"],
            remedy=form.cleaned_data["remedy"],
            amount=form.cleaned_data["amount"],
            description=form.cleaned_data["description"],
        )
        try:
            services.complaint_open(buyer=_user(request), order=order, data=data, photo=form.cleaned_data["photo"])
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Complaint sent. The trader answers within a day."))
            return redirect(order.get_absolute_url())
    context = {
        "order": order,
        "form": form,
        "complaints": list(existing.values()),
        "closes_at": services.window_closes_at(order),
        "delivered": order.state == Order.State.DELIVERED,
    }
    return render(request, "complaints/new.html", context)


@login_required
def trader_answer(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = access.complaint_for_trader_or_404(user=request.user, complaint_id=complaint_id)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_answer(
                complaint=complaint,
                trader=_user(request),
                agree=form.cleaned_data["agree"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Answer sent."))
            return redirect("complaints:trader-answer", complaint_id=complaint.pk)
    return render(request, "complaints/trader_answer.html", {"complaint": complaint, "form": form})


@login_required
def operator_list(request: HttpRequest, slug: str) -> HttpResponse:
    market = market_for_operator_or_404(user=request.user, slug=slug)
    complaints = list(selectors.complaints_for_operator(market=market)[:200])
    return render(request, "complaints/operator_list.html", {"market": market, "complaints": complaints})


@login_required
def operator_decide(request: HttpRequest, slug: str, complaint_id: int) -> HttpResponse:
    market = market_for_operator_or_404(user=request.user, slug=slug)
    complaint = access.complaint_for_operator_or_404(market=market, complaint_id=complaint_id)
    initial = {"amount": complaint.amount_asked, "method": services.default_refund_method(complaint.order)}
    form = DecideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_decide(
                complaint=complaint,
                operator=_user(request),
                refund=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("complaints:operator-decide", slug=market.slug, complaint_id=complaint.pk)
    waiting = complaint.awaits_operator or services.answer_overdue(complaint)
    context = {"market": market, "complaint": complaint, "form": form, "can_decide": waiting}
    return render(request, "complaints/operator_decide.html", context)
