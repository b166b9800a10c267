"""The one gate for training events: the market's operators, officers of the region, platform staff."""

from django.db.models import Q, QuerySet
from django.http import Http404

from pasar.accounts.models import Actor
from pasar.markets.access import markets_for_officer, markets_in_region, markets_operated_by, officer_region_codes
from pasar.markets.models import Market
from pasar.traders.models import Stall, Trader
from pasar.training.models import TrainingEvent


def events_visible_to(user: Actor) -> QuerySet[TrainingEvent]:
    if not user.is_authenticated:
        return TrainingEvent.objects.none()
    if user.is_staff:
        return TrainingEvent.objects.all()
    visible = Q(market__in=markets_operated_by(user)) | Q(market__in=markets_for_officer(user))
    for code in officer_region_codes(user):
        # Region events inside the officer's region (a province officer sees their kab/kota's events).
        visible |= Q(region__code=code) | Q(region__code__startswith=code + ".")
    return TrainingEvent.objects.filter(visible)


def event_for_user_or_404(*, user: Actor, pk: int) -> TrainingEvent:
    """An event the user may read and record attendance for. Same 404 for "missing" and "not yours"."""
    event = events_visible_to(user).filter(pk=pk).select_related("market", "region").first()
    if event is None:
        raise Http404
    return event


def traders_of_event(event: TrainingEvent) -> QuerySet[Trader]:
    """The traders who may attend: those holding a stall in the event's market or region."""
    region = event.region
    markets = markets_in_region(region) if region is not None else Market.objects.filter(pk=event.market_id or 0)
    return Trader.objects.filter(pk__in=Stall.objects.filter(market__in=markets).values("trader_id"))
