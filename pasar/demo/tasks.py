"""The demo's slow half, run by the worker while the site is already up."""

from datetime import date

from django.tasks import task

from pasar.demo.history import history_settle
from pasar.pricing.services import prices_backfill_demo


@task()
def demo_history_finish(history_days: int, today: str) -> None:
    """A month of price history, then the past orders' ledger entries and dashboard summaries."""
    prices_backfill_demo(days=30)
    history_settle(today=date.fromisoformat(today), days=history_days)
