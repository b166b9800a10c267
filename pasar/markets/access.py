"""The one gate for markets: who operates which market."""

from django.db.models import QuerySet
from django.http import Http404

from pasar.accounts.models import Actor
from pasar.markets.models import Market, MarketRole


def markets_operated_by(user: Actor) -> QuerySet[Market]:
    """Markets the user runs as operator; every market for platform staff."""
    if not user.is_authenticated:
        return Market.objects.none()
    if user.is_staff:
        return Market.objects.all()
    return Market.objects.filter(roles__user=user, roles__role=MarketRole.Role.OPERATOR)


def is_operator(user: Actor) -> bool:
    return markets_operated_by(user).exists()


def market_for_operator_or_404(*, user: Actor, slug: str) -> Market:
    """A market the user operates. Same 404 for "missing" and "not yours", so ids do not leak."""
    market = markets_operated_by(user).filter(slug=slug).select_related("region").first()
    if market is None:
        raise Http404
    return market
