"""Dashboard pages for officers (/dinas/) and operators (/pengelola/<slug>/dasbor/), and exports.

Pages read only the summary tables (``selectors``); nothing is written on a GET.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from pasar.accounts.audit import audited
from pasar.accounts.models import PersonalDataAccess, User
from pasar.core.errors import DomainError
from pasar.dashboards import charts, selectors
from pasar.dashboards.exports import export_request
from pasar.dashboards.models import Export
from pasar.dashboards.periods import CHOICES, Period, parse_period
from pasar.dashboards.today import day_context
from pasar.markets.access import (
    market_for_officer_or_404,
    market_for_operator_or_404,
    market_for_reader_or_404,
    markets_for_officer,
    markets_in_region,
    region_for_officer_or_404,
)
from pasar.markets.models import Market
from pasar.regions.models import Region
from pasar.traders.models import Stall


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


INLINE_DOWNLOAD_BYTES = 2_000_000
CONTENT_TYPES: dict[str, str] = {
    Export.Format.CSV: "text/csv; charset=utf-8",
    Export.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


def _period(request: HttpRequest) -> Period:
    period, error = parse_period(request.GET, timezone.localdate())
    if error:
        messages.error(request, error)
    return period


def _figures(scope: selectors.Scope, period: Period) -> dict[str, Any]:
    """Everything the overview shows for a market or region: one query per block."""
    totals = selectors.totals(scope, period)
    days = selectors.trend(scope, period)
    adoption = selectors.adoption(scope, period)
    top = selectors.commodities(scope, period)
    context: dict[str, Any] = {"totals": totals, "days": days, "adoption": adoption, "top": top}
    context["receivables"] = selectors.receivables(scope)
    context["trend_svg"] = charts.line_chart(
        [(d["date"].strftime("%d/%m"), d["turnover"]) for d in days], title=_("Turnover per day (Rp)")
    )
    context["orders_svg"] = charts.line_chart(
        [(d["date"].strftime("%d/%m"), d["orders"]) for d in days], title=_("Orders per day")
    )
    context["top_svg"] = charts.bar_chart([(c["name"], c["turnover"]) for c in top], title=_("Top commodities (Rp)"))
    if adoption:
        context["funnel_svg"] = charts.funnel(
            [
                (_("Registered"), adoption["registered"]),
                (_("Trained"), adoption["trained"]),
                (_("Active"), adoption["active"]),
            ],
            title=_("Traders: registered → trained → active"),
        )
    return context


def _render(request: HttpRequest, context: dict[str, Any], period: Period) -> HttpResponse:
    context |= {"period": period, "choices": CHOICES, "kinds": Export.Kind.choices, "formats": Export.Format.choices}
    return render(request, "dashboards/dashboard.html", context)


@login_required
def officer_home(request: HttpRequest) -> HttpResponse:
    """An officer's entry: straight to their region, or a choice when they hold several."""
    user = _user(request)
    if user.is_staff:
        regions = list(Region.objects.filter(level=Region.Level.PROVINCE, children__markets__isnull=False).distinct())
    else:
        regions = [a.region for a in user.officer_assignments.select_related("region").order_by("region__code")]
    if not regions:
        raise Http404
    if len(regions) == 1:
        return redirect("dashboards:region", code=regions[0].code)
    return render(request, "dashboards/officer_home.html", {"regions": regions})


@login_required
def region_view(request: HttpRequest, code: str) -> HttpResponse:
    region = region_for_officer_or_404(user=request.user, code=code)
    period = _period(request)
    scope = selectors.Scope.of_region(region)
    context = _figures(scope, period)
    if region.level == Region.Level.PROVINCE:
        breakdown = selectors.per_region(region, period)
        context["breakdown_kind"] = "region"
    else:
        breakdown = selectors.per_market(scope.markets, period)
        context["breakdown_kind"] = "market"
    context["breakdown"] = breakdown
    context["bars_svg"] = charts.bar_chart(
        [(r["name"], r["turnover"]) for r in breakdown[:15]], title=_("Turnover per area (Rp)")
    )
    # A region's list runs to thousands: it is exported, and shown per market (the field officer's unit).
    context |= {"region": region, "scope_region": region.code, "title": region.name}
    return _render(request, context, period)


def _market_page(request: HttpRequest, market: Market, *, operator: bool) -> HttpResponse:
    period = _period(request)
    markets = Market.objects.filter(pk=market.pk)
    context = _figures(selectors.Scope(markets), period)
    breakdown = selectors.per_stall(market, period)
    context |= {"breakdown": breakdown, "breakdown_kind": "stall", "market": market, "operator": operator}
    context["bars_svg"] = charts.bar_chart(
        [(r["name"], r["turnover"]) for r in breakdown[:15]], title=_("Turnover per stall (Rp)")
    )
    context["trained_not_live"] = selectors.trained_not_live(markets, limit=50)
    context |= {"scope_market": market.slug, "title": market.name, "region": market.region}
    return _render(request, context, period)


@login_required
def market_view(request: HttpRequest, slug: str) -> HttpResponse:
    market = market_for_officer_or_404(user=request.user, slug=slug)
    return _market_page(request, market, operator=False)


@login_required
def operator_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    market = market_for_operator_or_404(user=request.user, slug=slug)
    return _market_page(request, market, operator=True)


def _stall_trader(request: HttpRequest, kwargs: dict[str, Any]) -> int | None:
    return Stall.objects.filter(pk=int(kwargs["stall_id"])).values_list("trader__user_id", flat=True).first()


@login_required
@audited("stall figures", subject=_stall_trader)
def stall_view(request: HttpRequest, stall_id: int) -> HttpResponse:
    stall = (
        Stall.objects.filter(pk=stall_id, market__in=markets_for_officer(request.user))
        .select_related("market__region", "trader__user", "category")
        .first()
    )
    if stall is None:
        raise Http404
    period = _period(request)
    days = selectors.stall_trend(stall, period)
    context = {
        "stall": stall,
        "period": period,
        "choices": CHOICES,
        "totals": selectors.stall_totals(stall, period),
        "days": days,
        "trend_svg": charts.line_chart(
            [(d["date"].strftime("%d/%m"), d["turnover"]) for d in days], title=_("Turnover per day (Rp)")
        ),
        "trainings": stall.trader.attendances.select_related("event").order_by("-event__date")[:20],
    }
    return render(request, "dashboards/stall.html", context)


# --- Exports ---------------------------------------------------------------------------------


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    """Queue an export of a market or region the user may read; 404 for any other scope."""
    user = _user(request)
    market = region = None
    if request.POST.get("market"):
        market = market_for_reader_or_404(user=user, slug=request.POST["market"])
    elif request.POST.get("region"):
        region = region_for_officer_or_404(user=user, code=request.POST["region"])
    else:
        raise Http404
    period, error = parse_period(request.POST, timezone.localdate())
    back = request.META.get("HTTP_REFERER") or "/"
    if error:
        messages.error(request, error)
        return redirect(back)
    try:
        export = export_request(
            user=user,
            kind=request.POST.get("kind", ""),
            file_format=request.POST.get("format", ""),
            period=period,
            market=market,
            region=region,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return redirect("dashboards:export", pk=export.pk)


def _own_export(request: HttpRequest, pk: int) -> Export:
    export = Export.objects.filter(pk=pk, requested_by=_user(request)).select_related("market", "region").first()
    if export is None:
        raise Http404
    return export


@login_required
def export_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    template = "dashboards/export.html#status" if request.htmx else "dashboards/export.html"
    return render(request, template, {"export": export})


@login_required
@audited("export file", action=PersonalDataAccess.Action.EXPORT)
def export_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    export = _own_export(request, pk)
    if export.state != Export.State.DONE or not export.file:
        raise Http404
    name = f"pasar-{export.kind}-{export.date_from}-{export.date_to}.{export.format}"
    if export.file.size <= INLINE_DOWNLOAD_BYTES:
        # Small files go in one piece, the file closed at once; large ones are streamed.
        with export.file.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type=CONTENT_TYPES[export.format])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def refresh_today(request: HttpRequest) -> HttpResponse:
    """Recompute today's summary rows of one market or region (a background task)."""
    from pasar.dashboards.tasks import aggregate_day

    user = _user(request)
    if request.POST.get("market"):
        market = market_for_reader_or_404(user=user, slug=request.POST["market"])
        ids = [market.pk]
        back = request.POST.get("next") or "/"
    else:
        region = region_for_officer_or_404(user=user, code=request.POST.get("region", ""))
        ids = list(markets_in_region(region).values_list("pk", flat=True))
        back = request.POST.get("next") or "/"
    aggregate_day.enqueue(timezone.localdate().isoformat(), ids)
    messages.success(request, _("Today's figures are being recalculated; reload in a minute."))
    return redirect(back if back.startswith("/") and not back.startswith("//") else "/")


@login_required
def operator_today(request: HttpRequest, slug: str) -> HttpResponse:
    """The operator's day: orders by state, late ones, stalls without today's prices or this month's activity."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    return render(request, "dashboards/today.html", day_context(market))
