"""The dashboards' nightly work, run by the scheduler (pasar/runtime)."""

from datetime import timedelta

from pasar.dashboards.exports import exports_expire
from pasar.dashboards.tasks import aggregate_range
from pasar.runtime.periodic import Run, daily

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
