"""The courier queue's periodic work, run by the scheduler (pasar/runtime)."""

from pasar.delivery.tasks import tick
from pasar.runtime.periodic import Run, every


@every(seconds=15, name="delivery.dispatch")
def dispatch(run: Run) -> str:
    """Expired offers pass to the next courier, newly ready orders become jobs, external bookings are polled."""
    return f"{tick()} offers"
