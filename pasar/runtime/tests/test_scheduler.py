import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections

from pasar.runtime import scheduler
from pasar.runtime.models import Heartbeat, JobRun
from pasar.runtime.periodic import Job
from pasar.testing.concurrency import race

NOW = datetime(2026, 12, 2, 3, 0, 5, tzinfo=UTC)


class Recorder:
    def __init__(self, fail=False):
        self.runs = []
        self.fail = fail

    def __call__(self, run):
        self.runs.append(run)
        if self.fail:
            raise RuntimeError("provider down")
        return "done"


def jobs_of(**functions):
    return {name: Job(name=name, function=f, seconds=15) for name, f in functions.items()}


@pytest.mark.django_db
def test_a_bucket_runs_once_however_often_the_loop_passes():
    tick = Recorder()
    jobs = jobs_of(tick=tick)
    assert scheduler.run_due(jobs, NOW) == ["tick"]
    assert scheduler.run_due(jobs, NOW + timedelta(seconds=5)) == []  # same 15-s bucket
    assert scheduler.run_due(jobs, NOW + timedelta(seconds=12)) == ["tick"]  # the next one
    assert [r.due_at.second for r in tick.runs] == [0, 15]
    assert tick.runs[1].previous == tick.runs[0].due_at
    row = JobRun.objects.get(name="tick")
    assert (row.runs, row.failures, row.last_error) == (2, 0, "")


@pytest.mark.django_db
def test_after_a_stop_only_the_latest_bucket_runs_and_it_knows_the_one_before():
    nightly = Recorder()
    jobs = {"nightly": Job(name="nightly", function=nightly, at=datetime(2026, 1, 1, 0, 30).time())}
    scheduler.run_due(jobs, datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    three_days_later = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
    assert scheduler.run_due(jobs, three_days_later) == ["nightly"]
    assert scheduler.run_due(jobs, three_days_later + timedelta(hours=1)) == []
    first, second = nightly.runs
    assert second.previous == first.due_at
    assert (second.local_date - first.local_date).days == 3


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run():
    broken, fine = Recorder(fail=True), Recorder()
    assert scheduler.run_due(jobs_of(broken=broken, fine=fine), NOW) == ["broken", "fine"]
    row = JobRun.objects.get(name="broken")
    assert (row.failures, row.runs) == (1, 0)
    assert row.last_error == "RuntimeError: provider down"
    assert len(fine.runs) == 1
    # The bucket is spent: a failure is not retried in a tight loop, the next bucket tries again.
    assert scheduler.run_due(jobs_of(broken=broken), NOW + timedelta(seconds=1)) == []


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_claiming_the_same_bucket_run_it_once():
    job = Job(name="race", function=Recorder(), seconds=15)
    JobRun.objects.create(name="race", due_at=NOW - timedelta(minutes=5))

    results = race(4, lambda i: scheduler.claim(job, NOW))
    assert [outcome for outcome, _ in results] == ["ok"] * 4
    assert sum(run is not None for _, run in results) == 1


class Gate:
    """A leadership whose acquisition the test controls."""

    def __init__(self, free=True):
        self.free = free
        self.holding = False

    def acquire(self):
        self.holding = self.free
        return self.holding

    def held(self):
        return self.holding and self.free

    def release(self):
        self.holding = False


def run_in_thread(target):
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def wait_for(condition, seconds=10.0):
    deadline = threading.Event()
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        deadline.wait(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_scheduler_without_the_lock_waits_on_standby_then_takes_over(settings):
    settings.PASAR_HEARTBEAT_SECONDS = 0.1
    tick = Recorder()
    gate = Gate(free=False)
    standby = scheduler.Scheduler(jobs=jobs_of(tick=tick), leadership=gate)
    scheduler.STANDBY_RETRY_SECONDS, saved = 0.05, scheduler.STANDBY_RETRY_SECONDS

    def loop():
        try:
            standby.run_forever()
        finally:
            connections.close_all()

    try:
        thread = run_in_thread(loop)
        assert wait_for(lambda: Heartbeat.objects.filter(role=Heartbeat.Role.STANDBY).exists())
        assert tick.runs == []
        gate.free = True  # the leader died: its lock went with its session
        assert wait_for(lambda: tick.runs)
        assert wait_for(lambda: Heartbeat.objects.filter(role=Heartbeat.Role.SCHEDULER).exists())
    finally:
        standby.stop()
        thread.join(5)
        scheduler.STANDBY_RETRY_SECONDS = saved
    beat = Heartbeat.objects.get(instance=standby.instance)
    assert beat.stopped_at is not None  # a clean stop says so at once
    assert not thread.is_alive()


def test_file_leadership_is_exclusive(tmp_path):
    first = scheduler.FileLeadership(tmp_path / "scheduler.lock")
    second = scheduler.FileLeadership(tmp_path / "scheduler.lock")
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_advisory_lock_lets_one_scheduler_lead_and_passes_on_when_it_goes():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    first, second = scheduler.PostgresLeadership(), scheduler.PostgresLeadership()
    try:
        assert first.acquire()
        assert first.held()
        assert not second.acquire()
        first.release()  # the session closes: PostgreSQL releases the lock
        assert second.acquire()
    finally:
        first.release()
        second.release()


def test_leadership_follows_the_database(settings, tmp_path):
    from django.db import connection

    settings.DATA_DIR = tmp_path
    chosen = scheduler.leadership_for_database()
    expected = scheduler.PostgresLeadership if connection.vendor == "postgresql" else scheduler.FileLeadership
    assert isinstance(chosen, expected)
