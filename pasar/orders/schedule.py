"""The orders app's periodic work, run by the scheduler (pasar/runtime)."""

from pasar.orders.services.bargain import offers_expire
from pasar.orders.services.reminders import remind_before_cutoff
from pasar.runtime.periodic import Run, every


@every(seconds=300, name="orders.cutoff_reminder")
def cutoff_reminder(run: Run) -> str:
    """Traders whose orders are not ready in the half hour before the market's cut-off hear it once a day."""
    return f"{remind_before_cutoff(now=run.due_at)} reminders"


@every(seconds=60, name="orders.expire_offers")
def expire_offers(run: Run) -> str:
    """Tawar: offers and counters nobody answered in time expire, and both sides hear it.

    Every answer also re-checks the deadline under the offer's lock, so a late or missed run never lets
    an answer count after its deadline; this job is what tells people (docs: services/bargain.py).
    """
    return f"{offers_expire(now=run.due_at)} offers expired"
