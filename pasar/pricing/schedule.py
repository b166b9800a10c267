"""The price boards' periodic work, run by the scheduler (pasar/runtime).

The catalog keeps only each product's current price, so a day's summary must be taken on that day:
every hour from the first traders' updates to late evening (re-running a day replaces its rows), so
the public board follows the stalls and the last run of the day is its closing figure.
"""

from pasar.pricing.tasks import prices_aggregate_day
from pasar.runtime.periodic import Run, every

FIRST_HOUR = 5
LAST_HOUR = 23


@every(seconds=3600, name="pricing.aggregate_today")
def aggregate_today(run: Run) -> str | None:
    local = run.due_at.astimezone(run.zone)
    if not FIRST_HOUR <= local.hour <= LAST_HOUR:
        return None
    # A bucket caught up after midnight belongs to a past day, whose prices can no longer be read.
    if run.local_date != run.today:
        return None
    result = prices_aggregate_day.enqueue(run.local_date.isoformat())
    return f"enqueued {result.id}"
