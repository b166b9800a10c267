"""The scheduler: one loop that runs every app's periodic jobs (``schedule.py``), once per bucket.

Only one scheduler leads at a time: on PostgreSQL it holds a session advisory lock on a connection of
its own (a second scheduler waits on standby and takes over within seconds when the first dies, since
the lock goes with the dead session); on SQLite, where an installation is one machine, an exclusive
lock on a file in the data folder. Beneath the lock, each bucket is claimed by a conditional UPDATE
of ``JobRun.due_at``, so a job never runs twice for the same bucket even if two loops overlapped.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
import time
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import IO, Protocol

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from pasar.runtime import heartbeat
from pasar.runtime.models import Heartbeat, JobRun
from pasar.runtime.periodic import Job, Run, discover

logger = logging.getLogger(__name__)

# pg_try_advisory_lock takes a bigint; advisory locks are per database, so one key serves every install.
ADVISORY_KEY = 0x50415341_52444152  # "PASARDAR"
STANDBY_RETRY_SECONDS = 5.0


class Leadership(Protocol):
    def acquire(self) -> bool: ...
    def held(self) -> bool: ...
    def release(self) -> None: ...


class PostgresLeadership:
    """A session advisory lock on a dedicated connection, never closed by request-style cleanup."""

    def __init__(self) -> None:
        self._connection: BaseDatabaseWrapper | None = None

    def acquire(self) -> bool:
        self.release()
        conn = connections.create_connection("default")
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
                got = bool(cursor.fetchone()[0])
        except Exception:
            conn.close()
            raise
        if got:
            self._connection = conn
        else:
            conn.close()
        return got

    def held(self) -> bool:
        if self._connection is None:
            return False
        try:
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except Exception:  # the session (and with it the lock) is gone
            logger.warning("scheduler lost its database session: leadership lost")
            self.release()
            return False

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()  # closing the session releases the lock
            finally:
                self._connection = None


class FileLeadership:
    """An exclusive flock on ``<data dir>/scheduler.lock``: the SQLite installation's one machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def acquire(self) -> bool:
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle = handle
        return True

    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def leadership_for_database() -> Leadership:
    if connection.vendor == "postgresql":
        return PostgresLeadership()
    return FileLeadership(Path(settings.DATA_DIR) / "scheduler.lock")


def claim(job: Job, now: datetime) -> Run | None:
    """Claim the job's latest bucket at ``now``; None when that bucket already ran (or is running)."""
    due_at = job.due_at(now)
    row = JobRun.objects.filter(name=job.name).only("due_at").first()
    if row is None:
        try:
            JobRun.objects.create(name=job.name, due_at=due_at, started_at=now)
        except IntegrityError:  # another scheduler created it first: it has this bucket
            return None
        return Run(due_at=due_at, previous=None)
    if row.due_at >= due_at:
        return None
    # Compare-and-set on the bucket we read: of two claimers, only one UPDATE matches.
    if not JobRun.objects.filter(name=job.name, due_at=row.due_at).update(due_at=due_at, started_at=now):
        return None
    return Run(due_at=due_at, previous=row.due_at)


def run_job(job: Job, run: Run) -> bool:
    """Run one claimed bucket; a failure is logged and recorded, never raised into the loop."""
    started = time.perf_counter()
    try:
        outcome = job.function(run)
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.name, run.due_at.isoformat())
        JobRun.objects.filter(name=job.name).update(
            finished_at=timezone.now(), last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        _increment(job.name, "failures")
        return False
    seconds = time.perf_counter() - started
    JobRun.objects.filter(name=job.name).update(finished_at=timezone.now(), last_error="")
    _increment(job.name, "runs")
    level = logging.WARNING if job.seconds is not None and seconds > job.seconds else logging.INFO
    logger.log(level, "job %s ran in %.2f s%s", job.name, seconds, f": {outcome}" if outcome is not None else "")
    return True


def _increment(name: str, field: str) -> None:
    from django.db.models import F

    JobRun.objects.filter(name=name).update(**{field: F(field) + 1})


def run_due(jobs: dict[str, Job], now: datetime | None = None) -> list[str]:
    """One pass: claim and run every job whose bucket is due at ``now``; the names that ran."""
    now = now or timezone.now()
    ran = []
    for job in jobs.values():
        run = claim(job, now)
        if run is not None:
            run_job(job, run)
            ran.append(job.name)
    return ran


class Scheduler:
    def __init__(self, jobs: dict[str, Job] | None = None, leadership: Leadership | None = None) -> None:
        self.jobs = jobs if jobs is not None else discover()
        self.leadership = leadership or leadership_for_database()
        self.instance = os.environ.get(heartbeat.INSTANCE_VARIABLE) or heartbeat.new_instance_id("scheduler")
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self._last_beat = 0.0
        self._leading = False

    def _beat(self, *, force: bool = False) -> None:
        if force or time.monotonic() - self._last_beat >= heartbeat.beat_seconds():
            role = Heartbeat.Role.SCHEDULER if self._leading else Heartbeat.Role.STANDBY
            try:
                heartbeat.beat(self.instance, role, started_at=self.started_at)
            except Exception:
                logger.exception("scheduler heartbeat failed")
            self._last_beat = time.monotonic()

    def _lead(self) -> bool:
        if self._leading and self.leadership.held():
            return True
        self._leading = self.leadership.acquire()
        if self._leading:
            logger.warning("scheduler %s leads: %d jobs (%s)", self.instance, len(self.jobs), ", ".join(self.jobs))
            self._beat(force=True)
        return self._leading

    def _sleep_seconds(self) -> float:
        now = timezone.now()
        soonest = min((job.next_due_at(now) for job in self.jobs.values()), default=None)
        wait = (soonest - now).total_seconds() if soonest else heartbeat.beat_seconds()
        return max(0.2, min(wait, 1.0))

    def run_forever(self) -> None:
        logger.warning("scheduler %s started", self.instance)
        try:
            while not self.stopping.is_set():
                close_old_connections()
                if not self._lead():
                    self._beat()
                    self.stopping.wait(STANDBY_RETRY_SECONDS)
                    continue
                run_due(self.jobs)
                self._beat()
                self.stopping.wait(self._sleep_seconds())
        finally:
            self.leadership.release()
            try:
                heartbeat.stop(self.instance)
            finally:
                logger.warning("scheduler %s stopped", self.instance)

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        self.stopping.set()


def run() -> None:
    scheduler = Scheduler()
    signal.signal(signal.SIGTERM, scheduler.stop)
    signal.signal(signal.SIGINT, scheduler.stop)
    scheduler.run_forever()
