"""The tempo terms provider orders calls at checkout (registered in ``apps.py``; orders never imports us)."""

from django.utils.translation import gettext as _

from pasar.accounts.models import Business, BusinessMember, User
from pasar.business.models import PaymentTerms
from pasar.business.selectors import outstanding
from pasar.core.errors import DomainError
from pasar.core.money import format_rupiah
from pasar.markets.models import Market
from pasar.orders.payment_terms import TempoTerms


def _tempo_row(*, buyer: User, market: Market) -> PaymentTerms | None:
    businesses = BusinessMember.objects.filter(user=buyer).values("business_id")
    return (
        PaymentTerms.objects.filter(business_id__in=businesses, market=market, kind=PaymentTerms.Kind.TEMPO)
        .order_by("business_id")
        .first()
    )


class BusinessTerms:
    def tempo_terms(self, *, buyer: User, market: Market) -> TempoTerms | None:
        row = _tempo_row(buyer=buyer, market=market)
        if row is None or row.days is None:
            return None
        return TempoTerms(business_id=row.business_id, days=row.days)

    def tempo_reserve(self, *, buyer: User, market: Market, business_id: int, amount: int) -> None:
        # The terms row lock queues two tempo orders of one business, so both cannot pass the limit together.
        row = (
            PaymentTerms.objects.select_for_update()
            .filter(business_id=business_id, market=market, kind=PaymentTerms.Kind.TEMPO)
            .first()
        )
        if row is None or not BusinessMember.objects.filter(business_id=business_id, user=buyer).exists():
            raise DomainError(_("Tempo payment is not available to you at this market."), code="tempo_unavailable")
        business = Business.objects.get(pk=business_id)
        # The order being placed is already written (uninvoiced): outstanding includes it.
        owed = outstanding(business=business, market=market)
        if owed > row.credit_limit:
            raise DomainError(
                _(
                    "This order would bring %(business)s's unpaid tempo orders to %(owed)s, above its credit "
                    "limit of %(limit)s. Pay an invoice first, or choose another payment."
                )
                % {"business": business.name, "owed": format_rupiah(owed), "limit": format_rupiah(row.credit_limit)},
                code="credit_limit",
            )


PROVIDER = BusinessTerms()
