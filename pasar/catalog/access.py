"""The one gate for products: a trader may change only the products of their own stalls."""

from django.http import Http404

from pasar.accounts.models import Actor
from pasar.catalog.models import Product
from pasar.traders.access import stalls_of_trader
from pasar.traders.models import Stall


def product_for_trader_or_404(*, user: Actor, product_id: int) -> Product:
    """A product of one of the user's stalls. Same 404 for "missing" and "not yours"."""
    if not user.is_authenticated:
        raise Http404
    product = Product.objects.filter(pk=product_id, stall__trader__user=user).select_related("stall").first()
    if product is None:
        raise Http404
    return product


def stall_for_trader_or_404(*, user: Actor, stall_id: int) -> Stall:
    for stall in stalls_of_trader(user):
        if stall.pk == stall_id:
            return stall
    raise Http404
