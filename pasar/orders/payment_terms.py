"""Payment terms other than pay-now, supplied by a higher app (pasar.business) through a registered provider.

Orders knows that an order may be paid "tempo" (on an invoice, N days later) and which business it was
for, but not who agreed which terms with the market, nor the credit limit: ``register`` is called by the
business app in its ``AppConfig.ready`` (the pattern of ``notifications.inbound``), so orders never
imports it. With no provider registered, tempo is simply never offered and always refused.
"""

from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.models import Market


@dataclass(frozen=True)
class TempoTerms:
    business_id: int
    days: int


class TermsProvider(Protocol):
    def tempo_terms(self, *, buyer: User, market: Market) -> TempoTerms | None:
        """The tempo terms ``buyer`` may order on at ``market`` (for one of their businesses), if any."""

    def tempo_reserve(self, *, buyer: User, market: Market, business_id: int, amount: int) -> None:
        """Inside the placement's transaction: refuse (DomainError) when ``amount`` would pass the limit."""


_providers: list[TermsProvider] = []


def register(provider: TermsProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def tempo_terms(*, buyer: User, market: Market) -> TempoTerms | None:
    for provider in _providers:
        terms = provider.tempo_terms(buyer=buyer, market=market)
        if terms is not None:
            return terms
    return None


def tempo_reserve(*, buyer: User, market: Market, business_id: int, amount: int) -> None:
    if not _providers:
        raise DomainError(_("Tempo payment is not available at this market."), code="tempo_unavailable")
    for provider in _providers:
        provider.tempo_reserve(buyer=buyer, market=market, business_id=business_id, amount=amount)
