"""Buyer-facing pages: a market with its stalls, a stall, a product, search within a market."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from pasar.catalog import selectors
from pasar.markets.models import Market
from pasar.markets.selectors import market_by_slug, market_categories


def _market_or_404(slug: str) -> Market:
    market = market_by_slug(slug)
    if market is None:
        raise Http404
    return market


def market_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A market: its hours and delivery terms, categories and stalls."""
    market = _market_or_404(slug)
    categories = market_categories(market=market)
    chosen = next((c for c in categories if c.slug == request.GET.get("kategori")), None)
    context = {
        "market": market,
        "categories": categories,
        "chosen": chosen,
        "stalls": selectors.stall_list(market=market, category=chosen),
    }
    return render(request, "catalog/market.html", context)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def search(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Search within one market; htmx requests get only the results list."""
    market = _market_or_404(slug)
    query = request.GET.get("q", "").strip()[:80]
    results = selectors.product_search(market=market, query=query) if query else []
    template = "catalog/search.html#results" if request.htmx else "catalog/search.html"
    return render(request, template, {"market": market, "query": query, "results": results})


def stall(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.stall_detail(stall_id=pk)
    if found is None:
        raise Http404
    return render(request, "catalog/stall.html", {"stall": found, "market": found.market})


def product(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.product_detail(product_id=pk)
    if found is None:
        raise Http404
    context = {"product": found, "market": found.market, "groups": selectors.variant_groups(found)}
    return render(request, "catalog/product.html", context)
