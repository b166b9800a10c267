"""Reads of stalls and products, shared by the pages and the API."""

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When, prefetch_related_objects
from django.db.models.functions import Coalesce
from rapidfuzz import fuzz, process

from pasar.catalog.models import Product
from pasar.catalog.search import query_terms
from pasar.markets.models import Category, Market
from pasar.traders.models import Stall

SEARCH_LIMIT = 40
PARTIAL_CANDIDATES = 500
FUZZY_NAME_LIMIT = 5000  # a market never has more products than this; caps the fallback scan


def stall_list(*, market: Market, category: Category | None = None) -> QuerySet[Stall]:
    """Open stalls of a market with their product counts, in market-layout order."""
    stalls = (
        Stall.objects.filter(market=market, is_open=True)
        .select_related("category")
        # A parent is listed once, available when one of its variants is (the parent itself never is).
        .annotate(
            product_count=Count(
                Coalesce("products__variant_of_id", "products__id"), filter=Q(products__available=True), distinct=True
            )
        )
    )
    if category is not None:
        stalls = stalls.filter(category=category)
    return stalls.order_by("block", "row", "number")


def stall_detail(*, stall_id: int) -> Stall | None:
    """An open stall with its market, trader and products (available first), each parent once with its
    variants."""
    variant_on = Product.objects.filter(variant_of=OuterRef("pk"), available=True).exclude(stock=0)
    listed = Case(When(Q(available=True) | Exists(variant_on), then=Value(1)), default=Value(0))
    products = (
        Product.objects.filter(variant_of__isnull=True)
        .annotate(listed=listed)
        .order_by("-listed", "name")
        .prefetch_related("variants")
    )
    return (
        Stall.objects.filter(pk=stall_id, is_open=True, market__is_active=True)
        .select_related("market", "category", "trader__user")
        .prefetch_related(Prefetch("products", queryset=products))
        .first()
    )


def product_detail(*, product_id: int) -> Product | None:
    return (
        Product.objects.filter(pk=product_id, stall__is_open=True, market__is_active=True)
        .select_related("stall", "stall__category", "market", "commodity", "variant_of")
        .prefetch_related("variants")
        .first()
    )


def _base(market: Market) -> QuerySet[Product]:
    return Product.objects.filter(market=market, stall__is_open=True).select_related("stall")


def product_search(*, market: Market, query: str, limit: int = SEARCH_LIMIT) -> list[Product]:
    """Products of one market matching a query with synonyms and typos (see ``catalog.search``).

    First every query word must match. If nothing does, products matching the most words
    win (so "kangkung yg seger" still finds kangkung); if still nothing, product names are
    fuzzy-matched.
    """
    terms = query_terms(query)
    if not terms:
        return []
    return _grouped(market, _matching(market=market, terms=terms, limit=limit * VARIANT_ROOM), limit)


# Rows fetched per result shown: the variants of one product collapse into one result.
VARIANT_ROOM = 3


def _matching(*, market: Market, terms: list[str], limit: int) -> list[Product]:
    order = ("-available", "price", "pk")
    found = list(_filter_terms(_base(market), terms).order_by(*order)[:limit])
    if found or len(terms) == 1:
        return found or _fuzzy_names(market=market, query=terms[0], limit=limit)
    partial = _best_partial(market=market, terms=[t for t in terms if len(t) > 2], limit=limit)
    return partial or _fuzzy_names(market=market, query=" ".join(terms), limit=limit)


def _grouped(market: Market, found: list[Product], limit: int) -> list[Product]:
    """Each variant hit replaced by its parent, each parent once, in the order of its best hit: "daster L"
    finds the daster, listed once with its price range."""
    parent_ids = {p.variant_of_id for p in found if p.variant_of_id is not None}
    parents = _base(market).filter(pk__in=parent_ids).prefetch_related("variants").in_bulk()
    grouped: dict[int, Product] = {}
    for product in found:
        target = parents.get(product.variant_of_id) if product.variant_of_id is not None else product
        if target is not None and target.pk not in grouped:
            grouped[target.pk] = target
    shown = list(grouped.values())[:limit]
    prefetch_related_objects([p for p in shown if p.pk not in parents], "variants")
    return shown


def _best_partial(*, market: Market, terms: list[str], limit: int) -> list[Product]:
    if not terms:
        return []
    any_term = Q()
    for term in terms:
        any_term |= Q(search_text__contains=term)
    candidates = list(_base(market).filter(any_term)[:PARTIAL_CANDIDATES])

    def rank(p: Product) -> tuple[int, bool, int, int]:
        return (-sum(t in p.search_text for t in terms), not p.available, p.price, p.pk)

    return sorted(candidates, key=rank)[:limit]


def _filter_terms(products: QuerySet[Product], terms: list[str]) -> QuerySet[Product]:
    for term in terms:
        products = products.filter(search_text__contains=term)
    return products


def _fuzzy_names(*, market: Market, query: str, limit: int) -> list[Product]:
    names = dict(_base(market).values_list("pk", "search_text")[:FUZZY_NAME_LIMIT])
    matches = process.extract(query, names, scorer=fuzz.partial_ratio, score_cutoff=80, limit=limit)
    ids = [pk for _text, _score, pk in matches]
    by_id = {p.pk: p for p in _base(market).filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def variant_groups(product: Product) -> list[tuple[str, list[Product]]]:
    """The product page's choices: one group per colour and motif, its sizes in shop order."""
    groups: dict[str, list[Product]] = {}
    for variant in product.variant_choices():
        legend = ", ".join(a for a in (variant.colour, variant.motif) if a)
        groups.setdefault(legend, []).append(variant)
    return list(groups.items())
