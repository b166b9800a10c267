"""The one gate for markets: who operates which market."""

from django.db.models import Q, QuerySet
from django.http import Http404

from pasar.accounts.models import Actor, OfficerAssignment
from pasar.markets.models import Market, MarketRole
from pasar.regions.models import Region


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


# --- Government officers: every market inside the regions they are assigned to -----------------


def _within(codes: list[str], field: str = "region__code") -> Q:
    """Markets (or anything with ``field`` holding a kab/kota code) inside any of ``codes`` (codes nest)."""
    condition = Q(pk__in=[])
    for code in codes:
        condition |= Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})
    return condition


def officer_region_codes(user: Actor) -> list[str]:
    """The region codes an officer reads (province or kab/kota); empty for anyone else."""
    if not user.is_authenticated:
        return []
    return list(OfficerAssignment.objects.filter(user=user).values_list("region__code", flat=True))


def markets_for_officer(user: Actor) -> QuerySet[Market]:
    """Markets inside the officer's regions; every market for platform staff; none for anyone else."""
    if not user.is_authenticated:
        return Market.objects.none()
    if user.is_staff:
        return Market.objects.all()
    codes = officer_region_codes(user)
    return Market.objects.filter(_within(codes)) if codes else Market.objects.none()


def market_for_officer_or_404(*, user: Actor, slug: str) -> Market:
    """A market inside the officer's region. Same 404 for "missing" and "not yours"."""
    market = markets_for_officer(user).filter(slug=slug).select_related("region__parent").first()
    if market is None:
        raise Http404
    return market


def region_for_officer_or_404(*, user: Actor, code: str) -> Region:
    """A province or kab/kota the officer may read (their own or one inside it); 404 otherwise."""
    region = Region.objects.filter(code=code, level__lte=Region.Level.REGENCY).select_related("parent").first()
    if region is None or not user.is_authenticated:
        raise Http404
    if not officer_reads_region(user, region):
        raise Http404
    return region


def officer_reads_region(user: Actor, region: Region) -> bool:
    """True for platform staff and for an officer whose region is ``region`` or contains it."""
    if user.is_authenticated and user.is_staff:
        return True
    return any(region.code == c or region.code.startswith(c + ".") for c in officer_region_codes(user))


def market_for_reader_or_404(*, user: Actor, slug: str) -> Market:
    """A market its operator or an officer of its region may read (dashboards, exports)."""
    for markets in (markets_operated_by(user), markets_for_officer(user)):
        market = markets.filter(slug=slug).select_related("region__parent").first()
        if market is not None:
            return market
    raise Http404


def markets_in_region(region: Region) -> QuerySet[Market]:
    """Every market inside a province or kab/kota (no access check: callers passed a gate first)."""
    return Market.objects.filter(_within([region.code]))
