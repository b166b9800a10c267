from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pasar.runtime import heartbeat
from pasar.runtime.models import Heartbeat
from pasar.runtime.tasks import RetryPolicy, WorkerLost, policy_for, recover_lost, retry
from pasar.runtime.tests import tasks
from pasar.runtime.worker import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tasks.CALLS.clear()


def worker(instance="worker-test"):
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=instance,
        excluded_queue_names=[],
    )


def claimed(result, instance="worker-test"):
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(instance)
    return row


def test_a_failed_task_waits_its_backoff_and_runs_again_until_its_attempts_are_spent(time_machine):
    result = tasks.fails.enqueue("provider down")
    w = worker()

    w.run_task(claimed(result))
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert timedelta(seconds=26) < row.run_after - timezone.now() < timedelta(seconds=34)  # 30 s ± jitter
    assert "RuntimeError: provider down" in row.traceback
    assert not DBTaskResult.objects.ready().filter(pk=result.id).exists()  # not before its time

    time_machine.move_to(timezone.now() + timedelta(seconds=35))
    assert DBTaskResult.objects.ready().filter(pk=result.id).exists()
    w.run_task(claimed(result))
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert timedelta(seconds=50) < row.run_after - timezone.now() < timedelta(seconds=70)  # doubled

    time_machine.move_to(timezone.now() + timedelta(seconds=70))
    w.run_task(claimed(result))
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED  # the third attempt was the last
    assert row.exception_class_path == "builtins.RuntimeError"
    assert len(row.worker_ids) == 3
    assert tasks.CALLS == ["provider down"] * 3


def test_a_task_that_succeeds_is_not_touched_by_the_retry_logic():
    result = tasks.succeeds.enqueue("ok")
    worker().run_task(claimed(result))
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, "ok")


def test_the_policy_defaults_come_from_settings(settings):
    settings.PASAR_TASK_MAX_ATTEMPTS = 4
    settings.PASAR_TASK_RETRY_DELAY_SECONDS = 5
    assert policy_for("pasar.nowhere.task") == RetryPolicy(max_attempts=4, base_delay=5, max_delay=600)
    assert policy_for(tasks.fails.module_path).max_attempts == 3


def test_backoff_doubles_and_is_capped():
    policy = RetryPolicy(max_attempts=10, base_delay=10, max_delay=60)
    delays = [policy.delay(n).total_seconds() for n in (1, 2, 3, 4, 5)]
    for got, want in zip(delays, [10, 20, 40, 60, 60], strict=True):
        assert want * 0.9 <= got <= want * 1.1


def test_retry_goes_above_task():
    with pytest.raises(TypeError, match="above @task"):
        retry(max_attempts=2)(lambda: None)
    with pytest.raises(ValueError, match="at least 1"):
        retry(max_attempts=0)


def running_task(instance, *, started_ago, task=tasks.succeeds):
    result = task.enqueue("x")
    row = claimed(result, instance)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - started_ago)
    return row


def beating(instance):
    heartbeat.beat(instance, Heartbeat.Role.WORKER, started_at=timezone.now())


def test_a_task_whose_worker_stopped_beating_goes_back_to_the_queue():
    lost = running_task("worker-dead", started_ago=timedelta(minutes=5))
    alive = running_task("worker-alive", started_ago=timedelta(minutes=5))
    fresh = running_task("worker-new", started_ago=timedelta(seconds=10))  # no beat yet, but just claimed
    beating("worker-alive")

    assert recover_lost() == (1, 0)
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.READY
    assert lost.exception_class_path.endswith(WorkerLost.__qualname__)
    assert "worker-dead stopped beating" in lost.traceback
    assert DBTaskResult.objects.get(pk=alive.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=fresh.pk).status == TaskResultStatus.RUNNING


def test_a_stale_heartbeat_counts_as_dead(time_machine):
    row = running_task("worker-old", started_ago=timedelta(minutes=5))
    beating("worker-old")
    time_machine.move_to(timezone.now() + timedelta(seconds=61))
    assert recover_lost() == (1, 0)
    assert DBTaskResult.objects.get(pk=row.pk).status == TaskResultStatus.READY


def test_a_lost_task_with_no_attempts_left_fails_visibly():
    row = running_task("w1", started_ago=timedelta(minutes=5), task=tasks.fails)
    DBTaskResult.objects.filter(pk=row.pk).update(worker_ids=["w1", "w2", "w3"])  # its third attempt
    assert recover_lost() == (0, 1)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.finished_at is not None
    assert "stopped beating" in row.traceback
