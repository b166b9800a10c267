"""The orders app's periodic work, run by the scheduler (pasar/runtime)."""

from pasar.orders.services.reminders import remind_before_cutoff
from pasar.runtime.periodic import Run, every


@every(seconds=300, name="orders.cutoff_reminder")
def cutoff_reminder(run: Run) -> str:
    """Traders whose orders are not ready in the half hour before the market's cut-off hear it once a day."""
    return f"{remind_before_cutoff(now=run.due_at)} reminders"
