"""``pasar prices_aggregate [--date YYYY-MM-DD] [--enqueue]``: the daily commodity-price summary."""

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pasar.core.errors import DomainError
from pasar.pricing import services, tasks


class Command(BaseCommand):
    help = "Summarise today's (or --date's) stall prices per market, kab/kota, province and installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="the day to summarise (default: today)")
        parser.add_argument("--enqueue", action="store_true", help="run it as a background task instead")

    def handle(self, *args: Any, **options: Any) -> None:
        day: date | None = options["date"]
        if options["enqueue"]:
            result = tasks.prices_aggregate_day.enqueue(day.isoformat() if day else None)
            self.stdout.write(f"enqueued {result.id}")
            return
        started = time.perf_counter()
        try:
            done = services.prices_aggregate_day(day=day)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{done.date}: {done.market_rows} market rows, {done.region_rows} region rows, "
            f"{done.breaches} prices above ceiling ({seconds:.1f} s)"
        )
