"""Periodic work of complaints: a trader's silence past the deadline sends the complaint to the operator."""

from pasar.complaints.services import complaints_escalate_overdue
from pasar.runtime.periodic import Run, every


@every(seconds=300, name="complaints.escalate")
def escalate(run: Run) -> str:
    return f"{complaints_escalate_overdue()} escalated"
