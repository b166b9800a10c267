"""The one gate of the business app: members see their business, owners manage it, operators their market.

Same 404 for "missing" and "not yours", so ids do not leak which businesses exist.
"""

from django.http import Http404

from pasar.accounts.models import Actor, Business, BusinessMember, User
from pasar.business.models import Invoice
from pasar.markets.models import Market


def business_for_member_or_404(*, user: Actor, business_id: int) -> Business:
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    business = Business.objects.filter(pk=business_id, memberships__user=user).first()
    if business is None:
        raise Http404
    return business


def is_owner(*, user: User, business: Business) -> bool:
    return BusinessMember.objects.filter(business=business, user=user, is_owner=True).exists()


def invoice_for_member_or_404(*, business: Business, invoice_id: int) -> Invoice:
    """An invoice of a business the caller already passed ``business_for_member_or_404`` for."""
    invoice = Invoice.objects.filter(pk=invoice_id, business=business).select_related("market", "credits").first()
    if invoice is None:
        raise Http404
    return invoice


def business_at_market_or_404(*, market: Market, business_id: int) -> Business:
    """A business that orders at (or has terms with) a market the caller operates (checked before)."""
    business = (
        Business.objects.filter(pk=business_id)
        .filter(
            pk__in=Business.objects.filter(orders__market=market)
            .values("pk")
            .union(Business.objects.filter(payment_terms__market=market).values("pk"))
        )
        .first()
    )
    if business is None:
        raise Http404
    return business


def invoice_for_operator_or_404(*, market: Market, invoice_id: int) -> Invoice:
    invoice = Invoice.objects.filter(pk=invoice_id, market=market).select_related("business", "market").first()
    if invoice is None:
        raise Http404
    return invoice
