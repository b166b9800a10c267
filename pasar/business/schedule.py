"""The business app's periodic work, run by the scheduler (pasar/runtime)."""

from pasar.business.reminders import remind_invoices
from pasar.business.services import credit_notes_catch_up, invoices_issue_weekly
from pasar.runtime.periodic import Run, daily, every


@daily(at="07:00", name="business.invoice_reminders")
def invoice_reminders(run: Run) -> str:
    """Tempo invoices due in 3 days, due today or overdue: their business hears it once that day."""
    return f"{remind_invoices(today=run.local_date)} invoices reminded"


@daily(at="01:00", name="business.weekly_invoices")
def weekly_invoices(run: Run) -> str:
    """Last week's tempo deliveries of weekly-invoiced businesses (any day: it catches a missed Monday up)."""
    return f"{invoices_issue_weekly(today=run.local_date)} weekly invoices"


@every(seconds=600, name="business.credit_notes")
def credit_notes(run: Run) -> str:
    return f"{credit_notes_catch_up()} credit notes"
