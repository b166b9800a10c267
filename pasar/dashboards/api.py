"""JSON endpoints of the dashboards app, mounted at /api/v1 in pasar/api.py.

The same figures as the pages, from the same summary-table selectors (a few queries, never a scan of
orders). Session authentication; a market or region the user may not read is 404, as on the pages.
"""

from datetime import date
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from pasar.core.api import not_found
from pasar.core.schemas import ErrorOut, ValidationErrorOut
from pasar.dashboards import selectors
from pasar.dashboards.periods import parse_period
from pasar.markets.access import market_for_reader_or_404, region_for_officer_or_404
from pasar.markets.models import Market

router = Router(tags=["dashboards"], auth=django_auth)
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class SalesOut(Schema):
    orders: int
    completed: int
    cancelled: int
    turnover: int
    items_sold: int
    kg_sold: str
    delivery_orders: int
    pickup_orders: int
    courier_trips: int


class AdoptionOut(Schema):
    date: date
    registered: int
    trained: int
    active: int
    trained_active: int


class SummaryOut(Schema):
    name: str
    start: date
    end: date
    sales: SalesOut | None
    adoption: AdoptionOut | None


class PeriodQuery(Schema):
    periode: str = "30"
    dari: str = ""
    sampai: str = ""


def _summary(name: str, scope: selectors.Scope, params: PeriodQuery) -> dict[str, Any]:
    period, error = parse_period(params.dict(), timezone.localdate())
    if error:
        raise HttpError(400, error)
    totals = selectors.totals(scope, period)
    if totals:
        totals["kg_sold"] = str(totals["kg_sold"])
    return {
        "name": name,
        "start": period.start,
        "end": period.end,
        "sales": totals,
        "adoption": selectors.adoption(scope, period),
    }


@router.get(
    "/dashboards/markets/{slug}",
    response={200: SummaryOut, **READ_ERRORS},
    operation_id="dashboard_market",
    summary="A market's sales and traders in a period (its operators and the officers of its region)",
    description='`sales` and `adoption` are null when the period has no data ("belum ada data"), never zeros.',
)
def dashboard_market(request: HttpRequest, slug: str, params: Annotated[PeriodQuery, Query()]) -> dict[str, Any]:
    try:
        market = market_for_reader_or_404(user=request.user, slug=slug)
    except Http404:
        raise not_found(_("Market not found.")) from None
    return _summary(market.name, selectors.Scope(Market.objects.filter(pk=market.pk)), params)


@router.get(
    "/dashboards/regions/{code}",
    response={200: SummaryOut, **READ_ERRORS},
    operation_id="dashboard_region",
    summary="A province's or kab/kota's sales and traders in a period (officers of that region)",
    description="Same figures as the officer's dashboard page; null blocks mean no data in the period.",
)
def dashboard_region(request: HttpRequest, code: str, params: Annotated[PeriodQuery, Query()]) -> dict[str, Any]:
    try:
        region = region_for_officer_or_404(user=request.user, code=code)
    except Http404:
        raise not_found(_("Region not found.")) from None
    return _summary(region.name, selectors.Scope.of_region(region), params)
