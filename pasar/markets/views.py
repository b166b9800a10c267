from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pasar.markets import selectors
from pasar.markets.forms import MarketFinderForm
from pasar.regions.selectors import region_by_code


def home(request: HttpRequest) -> HttpResponse:
    """The market finder: by name, by province/kab-kota, or nearest to a point."""
    form = MarketFinderForm(request.GET or None)
    near = None
    markets = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["lat"] is not None:
            near = selectors.markets_near(latitude=data["lat"], longitude=data["lng"])
        else:
            region = region_by_code(data["wilayah"]) if data["wilayah"] else None
            if data["wilayah"] and region is None:
                markets = selectors.market_list().none()  # an unknown region code matches nothing
            else:
                markets = selectors.market_list(region=region, query=data["q"])
    elif not form.is_bound:
        markets = selectors.market_list()
    regencies = selectors.regions_with_markets()
    provinces = sorted({r.parent for r in regencies if r.parent}, key=lambda p: p.name)
    context = {"form": form, "markets": markets, "near": near, "regencies": regencies, "provinces": provinces}
    return render(request, "markets/home.html", context)
