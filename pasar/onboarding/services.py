"""Onboarding a trader in one step: person, stall and the stall's first products together.

It lives above both traders and catalog because it writes to both; traders itself never needs
products.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.catalog.services import ProductInput, product_build
from pasar.core.errors import DomainError
from pasar.traders.models import Stall
from pasar.traders.services import Registration, RegistrationResult, trader_register

MAX_FIRST_PRODUCTS = 5


@transaction.atomic
def trader_onboard(*, data: Registration, products: list[ProductInput], by: User) -> RegistrationResult:
    """Register a trader (or add a stall to an existing one) with the stall's first products.

    All or nothing: a bad product or a taken stall location writes nothing.
    """
    if len(products) > MAX_FIRST_PRODUCTS:
        raise DomainError(_("At most 5 first products."), code="products_too_many")
    # Validate every product before anything is written, against a stand-in stall of the same
    # market (product_build reads only its market); the real stall is bound once it exists.
    draft = Stall(market=data.stall.market)
    built = [product_build(stall=draft, data=p) for p in products]
    result = trader_register(data=data, by=by)
    for product in built:
        product.stall = result.stall
    Product.objects.bulk_create(built)
    return result
