"""The one gate for standing orders: the buyer who made it, or a fellow member of the buyer's business.

Same 404 for "missing" and "not yours", so ids do not leak.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from pasar.accounts.models import Actor, BusinessMember, User
from pasar.standing.models import Run, StandingOrder


def standing_visible_to(user: User) -> QuerySet[StandingOrder]:
    """The user's standing orders and those of the people who order for the same business."""
    businesses = BusinessMember.objects.filter(user=user).values("business_id")
    colleagues = BusinessMember.objects.filter(business_id__in=businesses).values("user_id")
    return StandingOrder.objects.filter(Q(buyer=user) | Q(buyer_id__in=colleagues)).select_related("market", "buyer")


def standing_for_buyer_or_404(*, user: Actor, pk: int) -> StandingOrder:
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    standing = standing_visible_to(user).filter(pk=pk).first()
    if standing is None:
        raise Http404
    return standing


def run_of_or_404(*, standing: StandingOrder, run_id: int) -> Run:
    run = Run.objects.filter(pk=run_id, standing=standing).first()
    if run is None:
        raise Http404
    return run
