"""The runtime's own periodic work: lost tasks back in the queue, old rows pruned, nightly backups."""

from datetime import timedelta

from django.conf import settings
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pasar.runtime import heartbeat
from pasar.runtime.backup import backup_nightly
from pasar.runtime.periodic import Run, daily, every
from pasar.runtime.tasks import recover_lost

FINISHED_TASKS_KEPT = timedelta(days=14)


@every(seconds=30, name="runtime.recover_tasks")
def recover_tasks(run: Run) -> str | None:
    requeued, failed = recover_lost()
    return f"{requeued} put back, {failed} failed" if requeued or failed else None


@daily(at="04:30", name="runtime.prune")
def prune(run: Run) -> str:
    """Heartbeats of processes gone for two days; finished tasks after two weeks (failed ones too: by
    then someone has read them in the admin or /readyz's count)."""
    beats = heartbeat.prune()
    old = timezone.now() - FINISHED_TASKS_KEPT
    tasks, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=old
    ).delete()
    return f"{beats} heartbeats, {tasks} finished tasks deleted"


@daily(at="02:00", name="runtime.backup")
def nightly_backup(run: Run) -> str | None:
    if not settings.PASAR_BACKUP_NIGHTLY:
        return None
    result = backup_nightly.enqueue()
    return f"enqueued {result.id}"
