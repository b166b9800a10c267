"""The payments app's periodic work, run by the scheduler (pasar/runtime)."""

from pasar.payments.gateway import ProviderNotConfigured, payment_provider
from pasar.payments.services import payments_recheck
from pasar.runtime.periodic import Run, every


@every(seconds=60, name="payments.recheck")
def recheck(run: Run) -> str:
    """Pending QRIS attempts that were notified or have expired are asked about again, until final."""
    try:
        provider = payment_provider()
    except ProviderNotConfigured:
        return "no provider"
    counts = payments_recheck(provider, now=run.due_at)
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())) or "nothing pending"
