"""The one gate for traders and stalls: who may see or change which stall."""

from django.http import Http404

from pasar.accounts.models import Actor
from pasar.markets.access import markets_operated_by
from pasar.markets.models import Market
from pasar.traders.models import Stall, Trader, TraderImport


def trader_of(user: Actor) -> Trader | None:
    if not user.is_authenticated:
        return None
    return Trader.objects.filter(user=user).first()


def stalls_of_trader(user: Actor) -> list[Stall]:
    """The stalls a trader holds (empty for anyone else)."""
    if not user.is_authenticated:
        return []
    return list(Stall.objects.filter(trader__user=user).select_related("market", "category").order_by("pk"))


def stall_for_operator_or_404(*, user: Actor, stall_id: int) -> Stall:
    """A stall in a market the user operates. Same 404 for "missing" and "not yours"."""
    stall = (
        Stall.objects.filter(pk=stall_id, market__in=markets_operated_by(user)).select_related("trader__user").first()
    )
    if stall is None:
        raise Http404
    return stall


def trader_import_for_operator_or_404(*, user: Actor, market: Market, import_id: int) -> TraderImport:
    """An uploaded trader list of ``market``, only for the operator who uploaded it (404 otherwise)."""
    if not user.is_authenticated or not markets_operated_by(user).filter(pk=market.pk).exists():
        raise Http404
    found = TraderImport.objects.filter(pk=import_id, market=market, uploaded_by=user).first()
    if found is None:
        raise Http404
    return found
