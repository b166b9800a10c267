"""Pages of prices: the public boards "Harga hari ini", the operator's reference prices, the officer's flags.

Every page reads the summary tables (selectors), never the products.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.access import market_for_operator_or_404
from pasar.markets.models import Market
from pasar.pricing import importer, selectors
from pasar.pricing.access import (
    market_for_officer_or_404,
    markets_for_officer,
    officer_or_404,
    reference_import_for_operator_or_404,
)
from pasar.pricing.forms import DayForm, ReferenceUploadForm
from pasar.pricing.models import MarketCommodityPrice, ReferenceImport, ReferencePrice
from pasar.pricing.services import reference_import_apply, reference_import_prepare, today
from pasar.regions.models import Region


def _day(request: HttpRequest) -> date | None:
    form = DayForm(request.GET)
    return form.cleaned_data["tanggal"] if form.is_valid() else None


def _board_context(board: selectors.Board, asked: date | None) -> dict[str, object]:
    return {"board": board, "asked": asked, "today": today()}


def price_index(request: HttpRequest) -> HttpResponse:
    """The installation's prices and the provinces to choose from."""
    asked = _day(request)
    board = selectors.region_board(region=None, day=asked)
    provinces = selectors.regions_with_prices().filter(level=Region.Level.PROVINCE)
    context = _board_context(board, asked) | {"title": _("Prices today"), "children": provinces}
    return render(request, "pricing/board.html", context)


def region_prices(request: HttpRequest, code: str) -> HttpResponse:
    """A province's or kab/kota's prices, with its kab/kota or markets to choose from."""
    region = get_object_or_404(Region.objects.select_related("parent"), code=code, level__lte=Region.Level.REGENCY)
    asked = _day(request)
    board = selectors.region_board(region=region, day=asked)
    if region.level == Region.Level.PROVINCE:
        children: object = selectors.regions_with_prices().filter(parent=region)
    else:
        children = Market.objects.filter(region=region, is_active=True).order_by("name")
    context = _board_context(board, asked) | {"title": region.name, "region": region, "children": children}
    return render(request, "pricing/board.html", context)


def market_prices(request: HttpRequest, slug: str) -> HttpResponse:
    """One market's board: median stall price per commodity, range, change, trend; printable."""
    market = get_object_or_404(Market.objects.select_related("region__parent"), slug=slug, is_active=True)
    asked = _day(request)
    board = selectors.market_board(market=market, day=asked)
    context = _board_context(board, asked) | {
        "title": market.name, "market": market, "regions": selectors.market_regions(market=market),
    }  # fmt: skip
    return render(request, "pricing/board.html", context)


# The operator's reference prices -------------------------------------------------------------------


def _operator(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required and the market gate
    return request.user


@login_required
def reference_prices(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a reference-price file (checked, kept, nothing stored yet); ceilings in force; flagged prices."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    form = ReferenceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            prepared = reference_import_prepare(
                market=market, by=_operator(request), kind=form.cleaned_data["kind"], filename=upload.name or "",
                data=upload.read(importer.MAX_BYTES + 1),
            )  # fmt: skip
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("pricing:reference-report", slug=market.slug, pk=prepared.pk)
    day = today()
    ceilings = (
        ReferencePrice.objects.filter(
            Q(market=market) | Q(market__isnull=True), kind=ReferencePrice.Kind.CEILING, valid_from__lte=day
        )
        .exclude(valid_until__lt=day)
        .select_related("commodity")
        .order_by("commodity__name", "-valid_from")
    )
    context = {
        "market": market,
        "form": form,
        "ceilings": ceilings,
        "breaches": selectors.breaches_for_markets(markets=Market.objects.filter(pk=market.pk)),
        "imports": selectors.recent_imports(market=market, user=_operator(request)),
    }
    return render(request, "pricing/reference.html", context, status=400 if form.errors else 200)


def _report_context(market: Market, upload: ReferenceImport) -> dict[str, object]:
    checked = [_restore(r) for r in upload.rows]
    problems = [r for r in checked if not r.ok]
    skipped = [r for r in checked if r.ok and not r.usable]
    usable = [r for r in checked if r.usable]
    return {
        "market": market, "upload": upload, "problem_rows": problems, "skipped_rows": skipped[:200],
        "usable_rows": usable[:200], "counts": (len(usable), len(skipped), len(problems)),
    }  # fmt: skip


def _restore(data: dict[str, object]) -> importer.PriceRow:
    """A stored row with its verdict (``from_dict`` keeps only what was read)."""
    row = importer.PriceRow.from_dict(data)
    for name in ("commodity_id", "unit_code", "price_value", "day", "until_day", "problems", "notes"):
        setattr(row, name, data.get(name, getattr(row, name)))
    return row


@login_required
def reference_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    market = market_for_operator_or_404(user=request.user, slug=slug)
    upload = reference_import_for_operator_or_404(user=request.user, market=market, import_id=pk)
    return render(request, "pricing/reference_report.html", _report_context(market, upload))


@login_required
@require_POST
def reference_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Store the whole file in one transaction, or nothing (a row with a problem refuses it)."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    upload = reference_import_for_operator_or_404(user=request.user, market=market, import_id=pk)
    try:
        count = reference_import_apply(upload=upload, by=_operator(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("pricing:reference-report", slug=market.slug, pk=upload.pk)
    messages.success(request, _("%(count)s reference prices imported.") % {"count": count})
    return redirect("pricing:reference", slug=market.slug)


# The officer's flags -------------------------------------------------------------------------------


@login_required
def officer_prices(request: HttpRequest) -> HttpResponse:
    """Prices above ceiling and price alerts in the markets of the officer's regions."""
    regions = officer_or_404(request.user)
    markets = markets_for_officer(request.user)
    last = MarketCommodityPrice.objects.filter(market__in=markets).aggregate(last=Max("date"))["last"]
    alerts = (
        MarketCommodityPrice.objects.filter(market__in=markets, date=last, alert=True)
        .select_related("market", "commodity")
        .order_by("market__name", "commodity__name")[:200]
        if last
        else []
    )
    context = {
        "regions": regions,
        "breaches": selectors.breaches_for_markets(markets=markets),
        "alerts": alerts,
        "day": last,
    }
    return render(request, "pricing/officer.html", context)


@login_required
def officer_market_prices(request: HttpRequest, slug: str) -> HttpResponse:
    """One market of the officer's regions: its board and the stall prices above ceiling."""
    officer_or_404(request.user)
    market = market_for_officer_or_404(user=request.user, slug=slug)
    board = selectors.market_board(market=market)
    breaches = selectors.breaches_for_markets(markets=Market.objects.filter(pk=market.pk))
    return render(request, "pricing/officer_market.html", {"market": market, "board": board, "breaches": breaches})
