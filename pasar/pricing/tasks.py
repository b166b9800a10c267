"""The daily price summary as a background task (django.tasks; run by ``pasar db_worker``).

Enqueue ``prices_aggregate_day`` each evening (cron: ``pasar prices_aggregate --enqueue``) and, if the
board should follow the stalls during the day, every hour: re-running a day replaces that day's rows.
"""

from datetime import date

from django.tasks import task

from pasar.pricing import services


@task()
def prices_aggregate_day(day: str | None = None) -> dict[str, object]:
    """Summarise ``day`` (ISO date; default today in Asia/Jakarta). Idempotent."""
    result = services.prices_aggregate_day(day=date.fromisoformat(day) if day else None)
    return {
        "date": result.date.isoformat(),
        "market_rows": result.market_rows,
        "region_rows": result.region_rows,
        "breaches": result.breaches,
    }
