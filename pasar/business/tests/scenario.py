"""A hotel with tempo terms at a market, and its orders walked through the real services."""

from pasar.accounts.models import Business, BusinessMember
from pasar.business import services
from pasar.business.models import PaymentTerms
from pasar.markets.models import Market, MarketRole
from pasar.orders.models import Order
from pasar.payments.tests.scenario import courier_of, deliver, make_ready, two_stall_order
from pasar.testing import factories


def operator_of(market: Market, name: str = "Operator"):
    operator = factories.user(name=name)
    MarketRole.objects.create(user=operator, market=market, role=MarketRole.Role.OPERATOR)
    return operator


def hotel(market: Market, *, days: int = 14, limit: int = 100_000, invoicing: str = "order", chef=None):
    chef = chef or factories.user(name="Chef Hotel")
    business = services.business_create(
        owner=chef, data=services.BusinessInput(name="Hotel Braga", kind=Business.Kind.HOTEL, address="Jl. Braga 1")
    )
    services.terms_set(
        business=business,
        market=market,
        kind=PaymentTerms.Kind.TEMPO,
        days=days,
        credit_limit=limit,
        invoicing=invoicing,
        actor=operator_of(market, name=f"Operator {business.pk}"),
    )
    return business, chef


def tempo_order(market: Market, chef, *, key: str = "t1", prices=(10000, 6000)) -> Order:
    return two_stall_order(market, method=Order.PaymentMethod.TEMPO, key=key, buyer=chef, prices=prices)


def delivered_tempo(market: Market, chef, *, key: str = "t1", courier=None) -> Order:
    order = make_ready(tempo_order(market, chef, key=key))
    return deliver(order, courier or courier_of(market, name=f"Kurir {key}"))


def member(business: Business, user) -> None:
    BusinessMember.objects.create(business=business, user=user)
