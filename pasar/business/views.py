"""Business pages: "Usaha saya" for members (profile, contacts, invoices, statement) and the operator's list.

Plain forms (post, redirect, message); every page works without JavaScript.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pasar.accounts.models import User
from pasar.business import access, documents, selectors, services
from pasar.business.forms import AddressForm, BusinessForm, MemberForm, PaymentForm, TermsForm
from pasar.business.models import BusinessAddress, Invoice, PaymentTerms
from pasar.core.errors import DomainError
from pasar.markets.access import market_for_operator_or_404

FILE_KINDS = ("", "pdf", "xlsx")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _show(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _file(content: bytes, name: str, kind: str) -> HttpResponse:
    types = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(content, content_type=types[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _input(form: BusinessForm) -> services.BusinessInput:
    data = form.cleaned_data
    return services.BusinessInput(name=data["name"], kind=data["kind"], address=data["address"], npwp=data["npwp"])


@login_required
def my_businesses(request: HttpRequest) -> HttpResponse:
    """Usaha saya: the businesses the buyer orders for, and a form to register one."""
    user = _user(request)
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            business = services.business_create(owner=user, data=_input(form))
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": business.name})
            return redirect("business:detail", business_id=business.pk)
    return render(request, "business/list.html", {"businesses": selectors.businesses_of(user), "form": form})


@login_required
def business_detail(request: HttpRequest, business_id: int) -> HttpResponse:
    user = _user(request)
    business = access.business_for_member_or_404(user=user, business_id=business_id)
    owner = access.is_owner(user=user, business=business)
    member_form, address_form = MemberForm(), AddressForm()
    if request.method == "POST":
        if not owner:
            raise Http404
        action = request.POST.get("action")
        if action == "member":
            member_form = MemberForm(request.POST)
            if member_form.is_valid():
                try:
                    services.member_add(business=business, phone=member_form.cleaned_data["phone"])
                except DomainError as error:
                    _show(member_form, error)
                else:
                    messages.success(request, _("Contact person added."))
                    return redirect("business:detail", business_id=business.pk)
        elif action == "address":
            address_form = AddressForm(request.POST)
            if address_form.is_valid():
                BusinessAddress.objects.create(business=business, **address_form.cleaned_data)
                messages.success(request, _("Address added."))
                return redirect("business:detail", business_id=business.pk)
    context = {
        "business": business,
        "owner": owner,
        "members": business.memberships.select_related("user").order_by("-is_owner", "pk"),
        "addresses": business.addresses.order_by("pk"),
        "terms": PaymentTerms.objects.filter(business=business).select_related("market").order_by("market__name"),
        "invoices": selectors.invoices_of(business=business)[:50],
        "member_form": member_form,
        "address_form": address_form,
    }
    return render(request, "business/detail.html", context)


@login_required
@require_POST
def member_remove(request: HttpRequest, business_id: int, member_id: int) -> HttpResponse:
    user = _user(request)
    business = access.business_for_member_or_404(user=user, business_id=business_id)
    if not access.is_owner(user=user, business=business):
        raise Http404
    try:
        services.member_remove(business=business, member_id=member_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Contact person removed."))
    return redirect("business:detail", business_id=business.pk)


def _invoice_context(invoice: Invoice) -> dict[str, Any]:
    return {
        "invoice": invoice,
        "credited": selectors.credited(invoice),
        "paid": selectors.paid(invoice),
        "balance": selectors.balance(invoice),
        "payments": invoice.payments.order_by("pk"),
        "credit_notes": invoice.credit_notes.order_by("pk"),
        "overdue": invoice.due_on < timezone.localdate() and selectors.balance(invoice) > 0,
    }


@login_required
def invoice_detail(request: HttpRequest, business_id: int, invoice_id: int, kind: str = "") -> HttpResponse:
    business = access.business_for_member_or_404(user=request.user, business_id=business_id)
    invoice = access.invoice_for_member_or_404(business=business, invoice_id=invoice_id)
    name = invoice.code.replace("/", "-")
    if kind not in FILE_KINDS:
        raise Http404
    if kind == "pdf":
        return _file(documents.invoice_pdf(invoice), name, "pdf")
    if kind == "xlsx":
        return _file(documents.invoice_xlsx(invoice), name, "xlsx")
    return render(request, "business/invoice.html", {"business": business, **_invoice_context(invoice)})


@login_required
def statement(request: HttpRequest, business_id: int, kind: str = "") -> HttpResponse:
    """What the business owes across markets on today's date, what of it is overdue."""
    business = access.business_for_member_or_404(user=request.user, business_id=business_id)
    if kind not in FILE_KINDS:
        raise Http404
    report = selectors.statement(business=business, on=timezone.localdate())
    if kind == "pdf":
        return _file(documents.statement_pdf(report), f"tagihan-{business.pk}", "pdf")
    if kind == "xlsx":
        return _file(documents.statement_xlsx(report), f"tagihan-{business.pk}", "xlsx")
    return render(request, "business/statement.html", {"business": business, "statement": report})


# --- The market operator ---------------------------------------------------------------------------


@login_required
def operator_list(request: HttpRequest, slug: str) -> HttpResponse:
    market = market_for_operator_or_404(user=request.user, slug=slug)
    rows = [
        (b, selectors.terms_for(business=b, market=market), selectors.outstanding(business=b, market=market))
        for b in selectors.businesses_at_market(market)
    ]
    return render(request, "business/operator_list.html", {"market": market, "rows": rows})


@login_required
def operator_business(request: HttpRequest, slug: str, business_id: int) -> HttpResponse:
    """Set the business's terms at this market; see its invoices here and record payments."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    business = access.business_at_market_or_404(market=market, business_id=business_id)
    terms = selectors.terms_for(business=business, market=market)
    initial = (
        {"kind": terms.kind, "days": terms.days, "credit_limit": terms.credit_limit or "", "invoicing": terms.invoicing}
        if terms
        else {"kind": PaymentTerms.Kind.CASH, "invoicing": PaymentTerms.Invoicing.PER_ORDER}
    )
    form = TermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.terms_set(
                business=business,
                market=market,
                kind=data["kind"],
                days=data["days"],
                credit_limit=data["credit_limit"] or 0,
                invoicing=data["invoicing"],
                actor=_user(request),
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(request, _("Payment terms saved."))
            return redirect("business:operator-business", slug=market.slug, business_id=business.pk)
    invoices = [
        (invoice, selectors.balance(invoice))
        for invoice in Invoice.objects.filter(business=business, market=market).order_by("-number")[:50]
    ]
    context = {
        "market": market,
        "business": business,
        "terms": terms,
        "form": form,
        "invoices": invoices,
        "outstanding": selectors.outstanding(business=business, market=market),
        "statement": selectors.statement(business=business, market=market, on=timezone.localdate()),
    }
    return render(request, "business/operator_business.html", context)


@login_required
def operator_invoice(request: HttpRequest, slug: str, invoice_id: int) -> HttpResponse:
    """An invoice of the market; for a tempo invoice, record a transfer received against it."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    invoice = access.invoice_for_operator_or_404(market=market, invoice_id=invoice_id)
    form = PaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.payment_record(
                invoice=invoice,
                amount=data["amount"],
                reference=data["reference"],
                paid_on=data["paid_on"],
                actor=_user(request),
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("business:operator-invoice", slug=market.slug, invoice_id=invoice.pk)
    context = {"market": market, "business": invoice.business, "form": form, **_invoice_context(invoice)}
    return render(request, "business/operator_invoice.html", context)
