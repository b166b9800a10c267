"""Operator screens: the market's traders, their status, list import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pasar.accounts import lockout
from pasar.accounts.audit import audited
from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.access import market_for_operator_or_404
from pasar.markets.models import Market
from pasar.traders import importer
from pasar.traders.access import stall_for_operator_or_404, trader_import_for_operator_or_404
from pasar.traders.forms import ImportConfirmForm, ImportUploadForm
from pasar.traders.models import Stall, Trader, TraderImport
from pasar.traders.services import (
    ImportConflict,
    trader_import_apply,
    trader_import_prepare,
    trader_reset_pin,
    trader_set_status,
    trader_unlock,
)

NEXT_STATUS = {Trader.Status.REGISTERED: Trader.Status.TRAINED, Trader.Status.TRAINED: Trader.Status.ACTIVE}


def _market(request: HttpRequest, slug: str) -> Market:
    return market_for_operator_or_404(user=request.user, slug=slug)


def _operator(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the views are behind login_required and the market gate
    return request.user


@login_required
@audited("traders of market")
def operator_market(request: HttpRequest, slug: str) -> HttpResponse:
    """The operator's view of one market: its stalls and traders."""
    market = _market(request, slug)
    stalls = (
        Stall.objects.filter(market=market)
        .select_related("trader__user", "category")
        .order_by("block", "row", "number")
    )
    rows = [(s, NEXT_STATUS.get(Trader.Status(s.trader.status))) for s in stalls]
    locked = lockout.locked_phones([s.trader.user.phone for s, _next in rows])
    context = {"market": market, "rows": rows, "locked": locked}
    return render(request, "traders/operator_market.html", context)


@login_required
@require_POST
def stall_status(request: HttpRequest, slug: str, stall_id: int) -> HttpResponse:
    """Move the stall's trader one step along terdata → dilatih → aktif."""
    market = _market(request, slug)
    stall = stall_for_operator_or_404(user=request.user, stall_id=stall_id)
    if stall.market_id != market.pk:
        raise Http404
    try:
        trader_set_status(trader=stall.trader, status=request.POST.get("status", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": stall.trader.user.name, "status": stall.trader.get_status_display()},
        )
    return redirect("traders:operator-market", slug=market.slug)


def _operated_stall(request: HttpRequest, slug: str, stall_id: int) -> tuple[Market, Stall]:
    market = _market(request, slug)
    stall = stall_for_operator_or_404(user=request.user, stall_id=stall_id)
    if stall.market_id != market.pk:
        raise Http404
    return market, stall


@never_cache  # the page shows the new PIN
@login_required
@require_POST
def stall_pin_reset(request: HttpRequest, slug: str, stall_id: int) -> HttpResponse:
    """A trader forgot their PIN: a new first PIN, shown once, which the trader replaces at login."""
    market, stall = _operated_stall(request, slug, stall_id)
    pin = trader_reset_pin(trader=stall.trader, by=_operator(request))
    return render(request, "traders/pin_reset_done.html", {"market": market, "stall": stall, "pin": pin})


@login_required
@require_POST
def stall_unlock(request: HttpRequest, slug: str, stall_id: int) -> HttpResponse:
    """Lift the lock after too many wrong PINs (the trader keeps their PIN)."""
    market, stall = _operated_stall(request, slug, stall_id)
    if trader_unlock(trader=stall.trader, by=_operator(request)):
        messages.success(request, _("%(name)s can log in again.") % {"name": stall.trader.user.name})
    else:
        messages.info(request, _("%(name)s was not locked.") % {"name": stall.trader.user.name})
    return redirect("traders:operator-market", slug=market.slug)


@login_required
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: upload a list; it is checked and kept, no trader is written yet."""
    market = _market(request, slug)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(importer.MAX_BYTES + 1)
        try:
            trader_import = trader_import_prepare(
                market=market, by=_operator(request), filename=upload.name or "", data=data
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("traders:import-report", slug=market.slug, pk=trader_import.pk)
    return render(request, "traders/import_upload.html", {"market": market, "form": form})


REPORT_OK_ROWS = 200  # a 5,000-row report stays light on a phone: every error, the first ok rows


def _report_context(market: Market, trader_import: TraderImport) -> dict[str, object]:
    rows = [importer.ImportRow.from_dict(r) for r in trader_import.rows]
    ok = [r for r in rows if r.ok]
    errors = [r for r in rows if not r.ok]
    return {
        "market": market,
        "upload": trader_import,
        "error_rows": errors,
        "ok_rows": ok[:REPORT_OK_ROWS],
        "ok_hidden": max(len(ok) - REPORT_OK_ROWS, 0),
        "ok_count": len(ok),
        "error_count": len(errors),
    }


@login_required
def import_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Step 1's report: every row with its status and reasons, and the confirm button."""
    market = _market(request, slug)
    trader_import = trader_import_for_operator_or_404(user=request.user, market=market, import_id=pk)
    context = _report_context(market, trader_import) | {"form": ImportConfirmForm()}
    return render(request, "traders/import_report.html", context)


@never_cache
@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Step 2: insert every valid row in one transaction; the PINs are shown once, here."""
    market = _market(request, slug)
    trader_import = trader_import_for_operator_or_404(user=request.user, market=market, import_id=pk)
    form = ImportConfirmForm(request.POST)
    context = _report_context(market, trader_import) | {"form": form}
    if not form.is_valid():
        return render(request, "traders/import_report.html", context, status=400)
    try:
        imported = trader_import_apply(trader_import=trader_import, by=_operator(request), consent=True)
    except ImportConflict as exc:
        context |= {"conflict": exc.message, "conflict_rows": exc.rows}
        return render(request, "traders/import_report.html", context, status=409)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("traders:operator-market", slug=market.slug)
    return render(request, "traders/import_done.html", {"market": market, "imported": imported})
