"""Retry limits for background tasks, and the recovery of tasks whose worker died.

django-tasks-db runs a task once: an exception marks it FAILED and a killed worker leaves it RUNNING
forever. Pasar Daring's worker (``pasar serve --worker-only``, also ``pasar db_worker``) gives each
task a retry policy instead: a failure puts it back in the queue after a backoff (10 s, 20 s, 40 s …
capped) until its attempts are used up, and the scheduler puts back (or fails, visibly) a task whose
worker stopped beating. Every task is written to be idempotent, so running one again is safe.

A task declares its own limits next to its definition::

    @retry(max_attempts=8, base_delay=30)
    @task()
    def notification_send(notification_id: int) -> bool: ...
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pasar.runtime import heartbeat
from pasar.runtime.models import Heartbeat

logger = logging.getLogger(__name__)

T = TypeVar("T")


class WorkerLost(Exception):  # noqa: N818 - the name is what an operator reads in the task list
    """The worker running this task stopped beating (killed, out of memory, machine restarted)."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_delay: float  # seconds before the second attempt; doubled for each further one
    max_delay: float

    def delay(self, attempts_made: int) -> timedelta:
        seconds = min(self.base_delay * 2 ** max(attempts_made - 1, 0), self.max_delay)
        # A little jitter, so tasks that failed together (a provider outage) do not all return together.
        return timedelta(seconds=seconds * random.uniform(0.9, 1.1))  # noqa: S311 - not a secret


_POLICIES: dict[str, RetryPolicy] = {}


def default_policy() -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.PASAR_TASK_MAX_ATTEMPTS,
        base_delay=settings.PASAR_TASK_RETRY_DELAY_SECONDS,
        max_delay=600,
    )


def retry(*, max_attempts: int, base_delay: float = 10, max_delay: float = 600) -> Callable[[T], T]:
    """Give the task below this decorator its own retry limits (``max_attempts`` counts the first run)."""
    if max_attempts < 1:
        raise ValueError("max_attempts counts the first run: at least 1")

    def decorate(task: T) -> T:
        path = getattr(task, "module_path", None)
        if not isinstance(path, str):
            raise TypeError("@retry goes above @task(): it needs the task object")
        _POLICIES[path] = RetryPolicy(max_attempts=max_attempts, base_delay=base_delay, max_delay=max_delay)
        return task

    return decorate


def policy_for(task_path: str) -> RetryPolicy:
    return _POLICIES.get(task_path) or default_policy()


def attempts_of(result: DBTaskResult[Any, Any]) -> int:
    """How many times the task was claimed by a worker (django-tasks-db appends an id per claim)."""
    return len(result.worker_ids or [])


def put_back(result: DBTaskResult[Any, Any], *, error: str, exception_path: str, now: datetime) -> datetime:
    """Return a task to the queue to run again after its policy's backoff; when it may run."""
    run_after = now + policy_for(result.task_path).delay(attempts_of(result))
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=TaskResultStatus.READY,
        run_after=run_after,
        finished_at=None,
        exception_class_path=exception_path,
        traceback=error,  # the last error stays readable in the admin while the task waits
    )
    return run_after


def recover_lost(*, now: datetime | None = None, dead: str | None = None) -> tuple[int, int]:
    """Tasks RUNNING on a worker that stopped beating: put back, or failed once their attempts are used.

    Returns (put back, failed). A task is only judged once it has run longer than the staleness
    window, so a worker that just claimed it and has not beaten yet is never robbed. ``dead`` names
    a worker known to have died (the supervisor saw it exit): its tasks are recovered at once.
    """
    now = now or timezone.now()
    stale = now - heartbeat.stale_after()
    live = heartbeat.live_instances(Heartbeat.Role.WORKER, now=now) - {dead}
    requeued = failed = 0
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(status=TaskResultStatus.RUNNING)
        candidates = running.filter(started_at__lt=stale) if dead is None else running
        for result in candidates:
            worker = (result.worker_ids or ["?"])[-1]
            if worker in live or (dead is not None and worker != dead):
                continue
            message = f"worker {worker} stopped beating while running this task (started {result.started_at})"
            exception_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
            if attempts_of(result) < policy_for(result.task_path).max_attempts:
                put_back(result, error=message, exception_path=exception_path, now=now)
                requeued += 1
                logger.warning("task %s (%s): %s; queued again", result.pk, result.task_path, message)
            else:
                DBTaskResult.objects.filter(pk=result.pk).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path=exception_path,
                    traceback=message,
                )
                failed += 1
                logger.error("task %s (%s): %s; no attempts left, failed", result.pk, result.task_path, message)
    return requeued, failed
