"""Writes of markets and their roles (most markets are edited in the admin; this is for scripts)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from pasar.core.errors import DomainError
from pasar.core.phone import normalize_phone
from pasar.markets.models import Market, MarketRole
from pasar.regions.models import Region


@dataclass(frozen=True)
class NewMarket:
    market: Market
    created: bool
    operator_phone: str
    first_password: str | None  # only when the operator's account was made now


def regency_named(text: str) -> Region:
    """A kab/kota by Kemendagri code or by its exact name ("Kota Tasikmalaya")."""
    regencies = Region.objects.filter(level=Region.Level.REGENCY)
    found = list(regencies.filter(code=text)) or list(regencies.filter(name__iexact=text))
    if not found:
        raise DomainError(f"no kab/kota {text!r}: run `pasar load_regions` first, or give its Kemendagri code")
    if len(found) > 1:
        raise DomainError(f"{text!r} names several kab/kota ({', '.join(r.code for r in found)}): give the code")
    return found[0]


def market_add(
    *,
    name: str,
    region: Region,
    latitude: float,
    longitude: float,
    operator_phone: str,
    operator_name: str,
    operator_kind: str = Market.OperatorKind.DINAS,
) -> NewMarket:
    """A market with its operator; the same name again changes nothing (scripts re-run)."""
    phone = normalize_phone(operator_phone)
    if phone is None:
        raise DomainError(f"not an Indonesian mobile number: {operator_phone!r}")
    existing = Market.objects.filter(slug=slugify(name)).first()
    if existing is not None:
        return NewMarket(existing, False, phone, None)
    market = Market(
        name=name,
        slug=slugify(name),
        region=region,
        latitude=latitude,
        longitude=longitude,
        operator_name=operator_name,
        operator_kind=operator_kind,
    )
    market.full_clean(exclude=["district"])
    password = None
    User = get_user_model()
    with transaction.atomic():
        market.save()
        user = User.objects.filter(phone=phone).first()
        if user is None:
            password = secrets.token_urlsafe(9)
            user = User.objects.create_user(phone, password, name=operator_name)
        MarketRole.objects.get_or_create(user=user, market=market, role=MarketRole.Role.OPERATOR)
    return NewMarket(market, True, phone, password)
