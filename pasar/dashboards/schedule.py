"""The dashboards' nightly work, run by the scheduler (pasar/runtime)."""

from datetime import timedelta

from pasar.dashboards.alerts import late_orders_notify
from pasar.dashboards.exports import exports_expire
from pasar.dashboards.tasks import aggregate_range
from pasar.runtime.periodic import Run, daily, every

CATCH_UP_DAYS = 7


@daily(at="00:30", name="dashboards.aggregate")
def aggregate(run: Run) -> str:
    """Yesterday's summary rows; after a stop, every day since the last run (at most a week back).

    Re-running a day replaces its rows, so a day counted twice is harmless; a day missed is not.
    """
    last = run.local_date - timedelta(days=1)
    first = last
    if run.previous is not None:
        first = max(run.previous.astimezone(run.zone).date(), last - timedelta(days=CATCH_UP_DAYS - 1))
    first = min(first, last)
    result = aggregate_range.enqueue(first.isoformat(), last.isoformat())
    return f"{first}..{last} enqueued {result.id}"


@daily(at="03:00", name="dashboards.expire_exports")
def expire_exports(run: Run) -> str:
    return f"{exports_expire()} old exports deleted"


@every(seconds=300, name="dashboards.late_orders")
def late_orders(run: Run) -> str:
    """Operators hear of each order that is late (cut-off passed, slot begun, or 3 h old and not ready)."""
    return f"{late_orders_notify(now=run.due_at)} late-order notices"
