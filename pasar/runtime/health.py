"""What ``/readyz`` checks: the database, its migrations, and the heartbeats of worker and scheduler."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pasar.runtime import heartbeat
from pasar.runtime.models import Heartbeat

OK = "ok"
_migrations_ok = False  # once every migration is applied it stays so for this process's code


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return f"unreachable: {type(exc).__name__}"
    return OK


def migrations() -> str:
    global _migrations_ok
    if _migrations_ok:
        return OK
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        return f"{len(unapplied)} migrations not applied (run `pasar migrate`)"
    _migrations_ok = True
    return OK


def role(name: str, now: datetime) -> str:
    live = heartbeat.alive(name, now=now)
    if live is not None:
        return OK
    last = Heartbeat.objects.filter(role=name).order_by("-beat_at").first()
    if last is None:
        return "no heartbeat yet: is it running?"
    if last.stopped_at is not None:
        return f"stopped at {timezone.localtime(last.stopped_at):%Y-%m-%d %H:%M:%S}"
    silent = int((now - last.beat_at).total_seconds())
    return f"no heartbeat for {silent} s (last from {last.hostname} pid {last.pid})"


def tasks(now: datetime) -> dict[str, object]:
    """Figures for whoever watches the queue; informational, they never fail the check."""
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "ready": ready.count(),
        "running": DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        "failed_24h": DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(days=1)
        ).count(),
        "oldest_ready_seconds": int((now - oldest).total_seconds()) if oldest else 0,
    }


def readiness() -> tuple[bool, dict[str, object]]:
    now = timezone.now()
    report: dict[str, object] = {"database": database()}
    if report["database"] != OK:
        return False, report
    report["migrations"] = migrations()
    if report["migrations"] != OK:
        return False, report
    report["worker"] = role(Heartbeat.Role.WORKER, now)
    report["scheduler"] = role(Heartbeat.Role.SCHEDULER, now)
    report["tasks"] = tasks(now)
    ready = all(value == OK for key, value in report.items() if key != "tasks")
    return ready, report
