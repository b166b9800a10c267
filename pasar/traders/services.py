"""Writes for traders and stalls: registration on a trader's behalf, status changes."""

import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.catalog.services import ProductInput, product_build
from pasar.core.errors import DomainError
from pasar.core.phone import normalize_phone
from pasar.markets.models import Category, Market
from pasar.traders.models import Stall, Trader


@dataclass(frozen=True)
class StallInput:
    market: Market
    category: Category
    number: str
    block: str = ""
    row: str = ""
    name: str = ""
    kind: str = Stall.Kind.LAPAK


@dataclass(frozen=True)
class Registration:
    name: str
    phone: str
    stall: StallInput
    consent: bool
    products: list[ProductInput] = field(default_factory=list)


@dataclass(frozen=True)
class RegistrationResult:
    trader: Trader
    stall: Stall
    pin: str | None  # the first login PIN, shown once to the operator; None for an existing user


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def check_registration(data: Registration) -> str:
    """Validate what needs no database lock; returns the normalised phone."""
    if not data.name.strip():
        raise DomainError(_("Name is required."), code="name_required", field="name")
    phone = normalize_phone(data.phone)
    if phone is None:
        raise DomainError(
            _("Not a valid Indonesian phone number (e.g. 0812-3456-7890)."), code="phone_invalid", field="phone"
        )
    if not data.consent:
        raise DomainError(_("The trader's consent must be recorded."), code="consent_required", field="consent")
    if not data.stall.number.strip():
        raise DomainError(_("Stall number is required."), code="stall_number_required", field="number")
    return phone


def stall_location_taken(*, market: Market, block: str, row: str, number: str) -> bool:
    return Stall.objects.filter(market=market, block=block, row=row, number=number).exists()


@transaction.atomic
def trader_register(*, data: Registration, by: User) -> RegistrationResult:
    """Register a trader (or add a stall to an existing one) with the stall and first products.

    All or nothing: a bad product or a taken stall location writes nothing.
    """
    phone = check_registration(data)
    s = data.stall
    block, row, number = s.block.strip().upper(), s.row.strip().upper(), s.number.strip().upper()
    if stall_location_taken(market=s.market, block=block, row=row, number=number):
        raise DomainError(_("This stall location is already registered."), code="stall_taken", field="number")
    user = get_user_model().objects.filter(phone=phone).first()
    pin = None
    if user is None:
        pin = new_pin()
        user = User.objects.create_user(phone, pin, name=data.name.strip())
    trader, _created = Trader.objects.get_or_create(
        user=user, defaults={"registered_by": by, "consent_at": timezone.now(), "consent_recorded_by": by}
    )
    try:
        with transaction.atomic():
            stall = Stall.objects.create(
                market=s.market, trader=trader, category=s.category, kind=s.kind,
                name=s.name.strip() or _("%(name)s's stall") % {"name": user.get_short_name()},
                block=block, row=row, number=number,
            )
    except IntegrityError as exc:  # a concurrent registration took the location first
        raise DomainError(_("This stall location is already registered."), code="stall_taken", field="number") from exc
    Product.objects.bulk_create([product_build(stall=stall, data=p) for p in data.products])
    return RegistrationResult(trader=trader, stall=stall, pin=pin)


@transaction.atomic
def trader_set_status(*, trader: Trader, status: str) -> Trader:
    """Move a trader along terdata → dilatih → aktif (never backwards)."""
    order = list(Trader.Status.values)
    if status not in order:
        raise DomainError(_("Unknown status."), code="status_unknown")
    if order.index(status) < order.index(trader.status):
        raise DomainError(_("Onboarding status cannot go backwards."), code="status_backwards")
    trader.status = status
    trader.save(update_fields=["status", "updated_at"])
    return trader
