"""The payments app's periodic work, run by the scheduler (pasar/runtime)."""

from pasar.payments.gateway import ProviderNotConfigured, payment_provider
from pasar.payments.services import payments_recheck
from pasar.payments.services.settlement_notice import settlement_notify
from pasar.runtime.periodic import Run, daily, every


@every(seconds=60, name="payments.recheck")
def recheck(run: Run) -> str:
    """Pending QRIS attempts that were notified or have expired are asked about again, until final."""
    try:
        provider = payment_provider()
    except ProviderNotConfigured:
        return "no provider"
    counts = payments_recheck(provider, now=run.due_at)
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())) or "nothing pending"


@daily(at="15:00", name="payments.settlement_notice")
def settlement_notice(run: Run) -> str:
    """After the markets close, each trader hears what the market owes them for the day."""
    return f"{settlement_notify(day=run.local_date)} settlement notices"
