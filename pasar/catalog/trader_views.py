"""The trader's own screens: today's prices and availability in one save."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pasar.accounts.models import User
from pasar.catalog.access import product_for_trader_or_404
from pasar.catalog.forms import ProductForm, VariantForm
from pasar.catalog.models import MAX_STOCK, Product, size_rank
from pasar.catalog.services import (
    PriceUpdate,
    ProductInput,
    VariantInput,
    prices_update,
    product_create,
    product_set_photo,
    product_update,
    variant_create,
)
from pasar.core.errors import DomainError
from pasar.core.money import MAX_PRICE, format_rupiah, parse_rupiah
from pasar.core.numbers import parse_whole
from pasar.runtime.idempotency import idempotent
from pasar.traders.access import stalls_of_trader
from pasar.traders.models import Stall


def _parse_rows(post: dict[str, str], products: list[Product]) -> tuple[list[PriceUpdate], dict[int, str]]:
    """Read one row per product from the form; collect a message per bad row."""
    updates, errors = [], {}
    for product in products:
        raw_price = post.get(f"price-{product.pk}", "")
        price = parse_rupiah(raw_price)
        raw_stock = post.get(f"stock-{product.pk}", "").strip()
        stock = parse_whole(raw_stock, maximum=MAX_STOCK)
        # The count the screen showed; the same number posted back means "not changed by the trader".
        seen = parse_whole(post.get(f"seen-{product.pk}", "").strip(), maximum=MAX_STOCK)
        keep = stock is not None and seen is not None and seen == stock
        if price is None or not 0 < price <= MAX_PRICE:
            errors[product.pk] = _("Write the price in whole rupiah, e.g. 12500 or 12.500.")
        elif raw_stock and stock is None:
            errors[product.pk] = _("Stock must be a whole number from 0 to 1.000.000, or empty.")
        else:
            updates.append(PriceUpdate(product.pk, price, f"available-{product.pk}" in post, stock, keep_stock=keep))
    return updates, errors


def _without_conflicts(request: HttpRequest, products: list[Product]) -> list[Product]:
    """Rows whose price changed elsewhere since the trader's phone read it (``was-price-<id>``, sent by a
    queued offline save): told, never silently overwritten."""
    kept = []
    for product in products:
        was = parse_rupiah(request.POST.get(f"was-price-{product.pk}", ""))
        wanted = parse_rupiah(request.POST.get(f"price-{product.pk}", ""))
        if was is not None and was != product.price and wanted != product.price:
            messages.error(
                request,
                _("%(name)s: the price was changed elsewhere to %(now)s; your %(yours)s was not saved.")
                % {"name": product.name, "now": format_rupiah(product.price), "yours": format_rupiah(wanted)},
            )
            continue
        kept.append(product)
    return kept


def _grouped(products: list[Product]) -> list[tuple[Product, list[Product]]]:
    """Each product with its variants under it (sizes in shop order); ordinary products with none.
    A variant's parent is always of the same stall (``variant_create`` builds it there)."""
    variants: dict[int, list[Product]] = {}
    for product in products:
        if product.variant_of_id is not None:
            variants.setdefault(product.variant_of_id, []).append(product)
    return [(p, sorted(variants.get(p.pk, []), key=_variant_key)) for p in products if p.variant_of_id is None]


def _variant_key(v: Product) -> tuple[str, str, int, str, int]:
    return (v.colour, v.motif, size_rank(v.size), v.size, v.pk)


@login_required
@idempotent
def trader_prices(request: HttpRequest) -> HttpResponse:
    """All of a trader's products on one screen; one save updates every price and availability."""
    user = request.user
    assert isinstance(user, User)
    stalls = stalls_of_trader(user)
    if not stalls:
        raise Http404
    every = list(Product.objects.filter(stall__in=stalls).order_by("stall_id", "name"))
    parent_ids = {p.variant_of_id for p in every if p.variant_of_id is not None}
    # A parent's price and availability follow its variants: only the variants (and ordinary products) are rows.
    products = [p for p in every if p.pk not in parent_ids]
    errors: dict[int, str] = {}
    if request.method == "POST":
        posted_rows = products
        if request.POST.get("partial"):  # a queued offline save: only the rows the trader changed
            posted_rows = [p for p in products if f"price-{p.pk}" in request.POST]
        posted_rows = _without_conflicts(request, posted_rows)
        updates, errors = _parse_rows(
            request.POST.dict() | {k: "on" for k in request.POST if k.startswith("available-")}, posted_rows
        )
        if not errors:
            try:
                changed = prices_update(stall_ids=[s.pk for s in stalls], updates=updates)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Saved. %(n)d products changed.") % {"n": changed})
                return redirect("catalog:trader-prices")
        else:
            messages.error(request, _("Nothing was saved: please fix the rows marked in red."))
    by_stall = [(stall, _grouped([p for p in every if p.stall_id == stall.pk])) for stall in stalls]
    posted = request.POST if request.method == "POST" else None
    return render(request, "catalog/trader_prices.html", {"by_stall": by_stall, "errors": errors, "posted": posted})


def _trader_stalls_or_404(request: HttpRequest) -> tuple[User, list[Stall]]:
    user = request.user
    assert isinstance(user, User)
    stalls = stalls_of_trader(user)
    if not stalls:
        raise Http404
    return user, stalls


def _initial(product: Product) -> dict[str, object]:
    return {
        "stall": product.stall_id,
        "name": product.name,
        "commodity": product.commodity_id,
        "unit": product.unit,
        "price": product.price,
        "stock": product.stock,
        "available": product.available,
    }


@login_required
def trader_product(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a product (``pk`` None) or edit one, with an optional photo; all or nothing."""
    user, stalls = _trader_stalls_or_404(request)
    product = product_for_trader_or_404(user=user, product_id=pk) if pk is not None else None
    if product is not None and product.variant_of_id is not None:
        # A variant's name and unit are its parent's: it is edited there (its price on the price screen).
        return redirect("catalog:trader-product-edit", pk=product.variant_of_id)
    initial = _initial(product) if product is not None else {}
    form = ProductForm(request.POST or None, request.FILES or None, stalls=stalls, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        product_input = ProductInput(
            name=data["name"],
            unit=data["unit"],
            price=data["price"],
            commodity=data["commodity"],
            stock=data["stock"],
            available=data["available"],
        )
        try:
            with transaction.atomic():
                if product is None:
                    saved = product_create(stall=data["stall"], data=product_input)
                else:
                    saved = product_update(product=product, data=product_input)
                if data["photo"]:
                    product_set_photo(product=saved, upload=data["photo"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Product saved: %(name)s.") % {"name": saved.name})
            return redirect("catalog:trader-prices")
    context = {
        "form": form,
        "product": product,
        "variant_form": VariantForm(prefix="variant") if product is not None else None,
    }
    return render(request, "catalog/trader_product.html", context)


@login_required
@require_POST
def trader_variant_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a size/colour/motif to one of the trader's products; the product is then sold only by its variants."""
    user, _stalls = _trader_stalls_or_404(request)
    parent = product_for_trader_or_404(user=user, product_id=pk)
    form = VariantForm(request.POST, prefix="variant")
    if form.is_valid():
        data = form.cleaned_data
        try:
            variant = variant_create(
                parent=parent,
                data=VariantInput(
                    price=data["price"],
                    size=data["size"],
                    colour=data["colour"],
                    motif=data["motif"],
                    stock=data["stock"],
                ),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Variant added: %(name)s.") % {"name": variant.name})
            return redirect("catalog:trader-product-edit", pk=parent.pk)
    product_form = ProductForm(stalls=[parent.stall], initial=_initial(parent))
    context = {"form": product_form, "product": parent, "variant_form": form}
    return render(request, "catalog/trader_product.html", context, status=400)
