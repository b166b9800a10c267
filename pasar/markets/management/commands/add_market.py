"""``pasar add_market``: a new install's first market and its operator, from the shell.

The deploy guide (docs/deploy.md) runs it right after ``load_regions``; stalls, traders, hours and
tariff the operator then sets in the browser. The same name again changes nothing and says so.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pasar.core.errors import DomainError
from pasar.markets.models import Market
from pasar.markets.services import market_add, regency_named


class Command(BaseCommand):
    help = "Add a market and its operator (the first login of a new install)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help='the market\'s name, e.g. "Pasar Cikurubuk"')
        parser.add_argument("--region", required=True, help='kab/kota name or Kemendagri code, e.g. "Kota Tasikmalaya"')
        parser.add_argument("--lat", type=float, required=True)
        parser.add_argument("--lng", type=float, required=True)
        parser.add_argument("--operator-phone", required=True, help="the operator's mobile number (their login)")
        parser.add_argument("--operator-name", required=True)
        parser.add_argument("--operator-kind", default=Market.OperatorKind.DINAS, choices=Market.OperatorKind.values)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            added = market_add(
                name=options["name"],
                region=regency_named(options["region"]),
                latitude=options["lat"],
                longitude=options["lng"],
                operator_phone=options["operator_phone"],
                operator_name=options["operator_name"],
                operator_kind=options["operator_kind"],
            )
        except (DomainError, ValidationError) as error:
            raise CommandError(str(error)) from error
        market = added.market
        if not added.created:
            self.stdout.write(f"market {market.slug} exists already; nothing changed")
            return
        self.stdout.write(f"market {market.slug} added in {market.region.name}; operator {added.operator_phone}")
        if added.first_password:
            # Shown once and stored only hashed: the operator changes it after the first login.
            self.stdout.write(f"operator's first password: {added.first_password}")
