from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pasar.dashboards.aggregation import aggregate_days
from pasar.dashboards.exports import exports_expire


class Command(BaseCommand):
    help = (
        "Build the dashboards' summary rows of one market day (default: yesterday, Asia/Jakarta). "
        "Idempotent: a re-run replaces that day's rows. Run nightly, e.g. at 00:30. "
        "Also deletes export files older than a week."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--days", type=int, default=1, help="how many days ending at --date (backfill)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["date"]:
            try:
                last = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from exc
        else:
            last = timezone.localdate() - timedelta(days=1)
        if options["days"] < 1:
            raise CommandError("--days must be at least 1")
        first = last - timedelta(days=options["days"] - 1)
        # A backfill is one pass grouped by day; the adoption snapshot is taken for the last day.
        result = aggregate_days(first, last)
        self.stdout.write(
            f"{first}..{result.day}: {result.markets} market-days, {result.stalls} stall-days, "
            f"{result.commodities} commodity rows, {result.snapshots} adoption rows, "
            f"{result.region_days} region-days; {exports_expire()} old exports deleted"
        )
