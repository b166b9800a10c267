"""The standing orders' periodic work, run by the scheduler (pasar/runtime)."""

from pasar.runtime.periodic import Run, every
from pasar.standing.placing import runs_settle


@every(seconds=300, name="standing.place_due")
def place_due(run: Run) -> str:
    """Each standing order's dates whose cut-off passed are placed (or recorded missed); the next draft made."""
    counts = runs_settle(now=run.due_at)
    return ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "nothing due"
