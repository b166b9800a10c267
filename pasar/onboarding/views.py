"""The operator's one-page registration of a trader with the stall's first products."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.access import market_for_operator_or_404
from pasar.onboarding.forms import RegistrationForm, product_formset, products_of
from pasar.onboarding.services import trader_onboard


@never_cache  # the done page shows the trader's first PIN
@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Person, stall and first products on one page; all saved together or nothing."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    form = RegistrationForm(request.POST or None)
    products = product_formset(request.POST or None)
    # Both validated, so one submit shows every error on the page at once.
    if request.method == "POST" and all([form.is_valid(), products.is_valid()]):
        assert isinstance(request.user, User)  # behind login_required and the market gate
        try:
            result = trader_onboard(
                data=form.registration(market=market), products=products_of(products), by=request.user
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            context = {"market": market, "result": result, "products": result.stall.products.order_by("pk")}
            return render(request, "onboarding/register_done.html", context)
    return render(request, "onboarding/register.html", {"market": market, "form": form, "products": products})
