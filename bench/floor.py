"""The floor: plain Django views showing the same content as the product's market and stall
pages with the fewest queries possible, so every page cost is read as a ratio to this limit.

Each view runs one query (a second only when the page would otherwise be empty) and
renders a minimal template that links the same stylesheet and htmx as the product pages.
"""

from collections import Counter
from functools import cache

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.template import engines
from django.template.backends.django import Template

from pasar.catalog.models import Product
from pasar.markets.models import Category, Market
from pasar.traders.models import Stall

_HEAD = """{% load static django_htmx %}<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }}</title>
<link rel="stylesheet" href="{% static 'pasar/pasar.css' %}"></head><body><main>"""
_FOOT = "</main>{% htmx_script minified=True %}</body></html>"

MARKET_TEMPLATE = (
    _HEAD
    + """<h1>{{ market.name }}</h1><p>{{ market.address }} · {{ market.region.name }}</p>
<p>Buka {{ market.opens_at|time:"H.i" }}–{{ market.closes_at|time:"H.i" }} WIB
· pesan sebelum {{ market.order_cutoff|time:"H.i" }}</p>
<p>Antar dalam {{ market.delivery_radius_km|floatformat:"-1" }} km,
{{ market.delivery_min_fee|rupiah }}–{{ market.delivery_max_fee|rupiah }}
· {{ market.pickup_point }} · {{ market.operator_name }}</p>
<nav>{% for c, n in categories %}<a href="?kategori={{ c.slug }}">{{ c.name }} ({{ n }})</a> {% endfor %}</nav>
<ul>{% for s in stalls %}<li><a href="/lapak/{{ s.pk }}/">{{ s.name }}</a>
{{ s.category.name }} · {{ s.location }} · {{ s.product_count }} produk</li>{% endfor %}</ul>"""
    + _FOOT
)

STALL_TEMPLATE = (
    _HEAD
    + """<p><a href="/pasar/{{ market.slug }}/">{{ market.name }}</a></p><h1>{{ stall.name }}</h1>
<p>{{ stall.category.name }} · {{ stall.location }}</p>
<ul>{% for p in products %}<li><a href="/produk/{{ p.pk }}/">{{ p.name }}</a>
{{ p.price|rupiah }}/{{ p.unit }}{% if not p.available %} (habis){% endif %}</li>{% endfor %}</ul>"""
    + _FOOT
)


@cache
def _template(source: str) -> Template:
    return engines["django"].from_string(source)  # type: ignore[return-value]


def market(request: HttpRequest, slug: str) -> HttpResponse:
    """A market's header, category counts and open stalls, from one query over its stalls."""
    stalls = list(
        Stall.objects.filter(market__slug=slug, market__is_active=True, is_open=True)
        .select_related("category", "market__region")
        .annotate(product_count=Count("products", filter=Q(products__available=True)))
        .order_by("block", "row", "number")
    )
    found = stalls[0].market if stalls else Market.objects.select_related("region").filter(slug=slug).first()
    if found is None or not found.is_active:
        raise Http404
    counts = Counter(s.category_id for s in stalls)
    by_id: dict[int, Category] = {s.category_id: s.category for s in stalls}
    categories = sorted(((by_id[pk], n) for pk, n in counts.items()), key=lambda cn: (cn[0].position, cn[0].name))
    context = {"title": found.name, "market": found, "stalls": stalls, "categories": categories}
    return HttpResponse(_template(MARKET_TEMPLATE).render(context, request))


def stall(request: HttpRequest, pk: int) -> HttpResponse:
    """A stall with its products (available first), from one query over the products."""
    products = list(
        Product.objects.filter(stall_id=pk, stall__is_open=True, market__is_active=True)
        .select_related("stall__category", "stall__market")
        .order_by("-available", "name")
    )
    if products:
        found = products[0].stall
    else:
        found_or_none = (
            Stall.objects.select_related("category", "market")
            .filter(pk=pk, is_open=True, market__is_active=True)
            .first()
        )
        if found_or_none is None:
            raise Http404
        found = found_or_none
    context = {"title": found.name, "stall": found, "market": found.market, "products": products}
    return HttpResponse(_template(STALL_TEMPLATE).render(context, request))
