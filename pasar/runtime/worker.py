"""The task worker: django-tasks-db's worker with heartbeats and retries.

- Its worker id is its heartbeat instance, so the scheduler can tell a task whose worker died
  (no heartbeat) from one that is simply long (``tasks.recover_lost``).
- A task that raises is put back with a backoff while its policy allows (``tasks.retry``); only the
  last failure marks it FAILED, where the admin's task list shows it with its traceback.
"""

from __future__ import annotations

import logging
import os
import signal
from traceback import format_exception
from typing import Any

from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult

from pasar.runtime import heartbeat
from pasar.runtime.heartbeat import INSTANCE_VARIABLE
from pasar.runtime.models import Heartbeat
from pasar.runtime.tasks import attempts_of, policy_for, put_back

logger = logging.getLogger(__name__)


class Worker(DatabaseWorker):
    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        original_set_failed = db_task_result.set_failed

        def set_failed_or_retry(exc: BaseException) -> None:
            # Only the worker's own failures come here (an import error, the task raising); a
            # KeyboardInterrupt/SystemExit while stopping is put back too: the task did not finish.
            attempts = attempts_of(db_task_result)
            policy = policy_for(db_task_result.task_path)
            if attempts < policy.max_attempts:
                error = "".join(format_exception(exc))
                path = f"{type(exc).__module__}.{type(exc).__qualname__}"
                when = put_back(db_task_result, error=error, exception_path=path, now=timezone.now())
                db_task_result.status = TaskResultStatus.READY
                logger.warning(
                    "task %s (%s) failed on attempt %d of %d (%s); again after %s",
                    db_task_result.pk,
                    db_task_result.task_path,
                    attempts,
                    policy.max_attempts,
                    path,
                    when.isoformat(timespec="seconds"),
                )
                return
            logger.error(
                "task %s (%s) failed on its last attempt (%d)", db_task_result.pk, db_task_result.task_path, attempts
            )
            original_set_failed(exc)

        db_task_result.set_failed = set_failed_or_retry
        super().run_task(db_task_result)


def run(*, interval: float = 1.0, max_tasks: int | None = None, batch: bool = False) -> None:
    """Run a worker until SIGTERM/SIGINT, beating a heartbeat from its own thread."""
    instance = os.environ.get(INSTANCE_VARIABLE) or heartbeat.new_instance_id("worker")
    beater = heartbeat.Beater(instance, Heartbeat.Role.WORKER)
    beater.beat_now()
    beater.start()
    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=instance,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    try:
        worker.run()
    finally:
        beater.stop()
        heartbeat.stop(instance)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
