"""The personal-data retention job, run nightly by the scheduler (pasar/runtime)."""

from pasar.privacy.retention import retention_apply
from pasar.runtime.periodic import Run, daily


@daily(at="03:30", name="privacy.retention")
def retention(run: Run) -> str:
    done = retention_apply()
    return ", ".join(f"{count} {what}" for what, count in done.items())
