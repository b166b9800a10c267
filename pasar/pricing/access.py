"""The one gate for prices: which markets an officer may read, which upload an operator may see.

Public boards need no gate (prices are public). An officer reads the stall-level flags of markets inside
the regions of their assignments (codes nest: province "32" holds "32.73"); an operator imports only
into the markets they run (``markets.access``). Missing and not-yours answer the same 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from pasar.accounts.models import Actor
from pasar.markets.models import Market
from pasar.pricing.models import ReferenceImport
from pasar.regions.models import Region


def officer_regions(user: Actor) -> list[Region]:
    if not user.is_authenticated:
        return []
    return [a.region for a in user.officer_assignments.select_related("region").order_by("region__code")]


def markets_for_officer(user: Actor) -> QuerySet[Market]:
    """Markets inside the officer's regions; every market for platform staff; none for anyone else."""
    if not user.is_authenticated:
        return Market.objects.none()
    if user.is_staff:
        return Market.objects.all()
    scope = Q(pk__in=[])
    for region in officer_regions(user):
        scope |= Q(region__code=region.code) | Q(region__code__startswith=region.code + ".")
    return Market.objects.filter(scope)


def officer_or_404(user: Actor) -> list[Region]:
    """The officer's regions (empty for platform staff, who see everything); 404 for anyone else."""
    if user.is_authenticated and user.is_staff:
        return []
    regions = officer_regions(user)
    if not regions:
        raise Http404
    return regions


def market_for_officer_or_404(*, user: Actor, slug: str) -> Market:
    market = markets_for_officer(user).filter(slug=slug).select_related("region__parent").first()
    if market is None:
        raise Http404
    return market


def reference_import_for_operator_or_404(*, user: Actor, market: Market, import_id: int) -> ReferenceImport:
    """An upload of this market by this user (the market itself already passed ``markets.access``)."""
    if not user.is_authenticated:
        raise Http404
    found = ReferenceImport.objects.filter(pk=import_id, market=market, uploaded_by_id=user.pk).first()
    if found is None:
        raise Http404
    return found
