"""Periodic jobs, declared by the apps that own the work.

Each app that has periodic work puts it in its own ``schedule.py``::

    from pasar.runtime.periodic import Run, every

    @every(seconds=15, name="delivery.dispatch")
    def dispatch(run: Run) -> str:
        return f"{tick()} offers"

The scheduler (``pasar serve``, role scheduler) imports every installed app's ``schedule`` module and
runs each job once per time bucket: ``every(seconds=N)`` buckets are aligned to the epoch
(10:00:00, 10:00:15, ...), ``daily(at=...)`` buckets are one a day at that Asia/Jakarta time. A job
that was due while the scheduler was down runs once when it comes back (for the latest bucket
only; ``run.previous`` says which bucket ran before, so a nightly job can catch up the days between).

Jobs run in the scheduler process: keep them short (a dispatch round, a few queries) and enqueue a
task for anything long, so the 15-second jobs keep their pace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

JobFunction = Callable[["Run"], object]


@dataclass(frozen=True)
class Run:
    """One bucket of a job: when it was due, and the bucket that ran before it (None on the first run)."""

    due_at: datetime
    previous: datetime | None

    @property
    def zone(self) -> ZoneInfo:
        return _zone()

    @property
    def local_date(self) -> date:
        """The bucket's day in the installation's time zone (Asia/Jakarta)."""
        return self.due_at.astimezone(_zone()).date()

    @property
    def today(self) -> date:
        """Today in the installation's time zone, now (a caught-up bucket may be of an earlier day)."""
        return timezone.localdate()


@dataclass(frozen=True)
class Job:
    name: str
    function: JobFunction
    seconds: int | None = None  # every N seconds, aligned to the epoch
    at: time | None = None  # once a day at this local time

    def due_at(self, now: datetime) -> datetime:
        """Start of the latest bucket at or before ``now`` (an aware datetime)."""
        if self.seconds is not None:
            epoch = int(now.timestamp())
            return datetime.fromtimestamp(epoch - epoch % self.seconds, tz=UTC)
        assert self.at is not None
        local = now.astimezone(_zone())
        today = datetime.combine(local.date(), self.at, tzinfo=_zone())
        due = today if local >= today else today - timedelta(days=1)
        return due.astimezone(UTC)

    def next_due_at(self, now: datetime) -> datetime:
        if self.seconds is not None:
            return self.due_at(now) + timedelta(seconds=self.seconds)
        return self.due_at(now) + timedelta(days=1)

    @property
    def cadence(self) -> str:
        return f"every {self.seconds} s" if self.seconds is not None else f"daily at {self.at:%H:%M}"


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


JOBS: dict[str, Job] = {}


def _register(job: Job) -> None:
    existing = JOBS.get(job.name)
    if existing is not None and existing.function is not job.function:
        raise ValueError(f"two periodic jobs are named {job.name!r}")
    JOBS[job.name] = job


def every(*, seconds: int, name: str) -> Callable[[JobFunction], JobFunction]:
    if seconds < 1 or 86400 % seconds:
        # Buckets must tile a day, so "every 15 s" and "every hour" line up the same on every node.
        raise ValueError(f"{name}: seconds must divide a day evenly, not {seconds}")

    def decorate(function: JobFunction) -> JobFunction:
        _register(Job(name=name, function=function, seconds=seconds))
        return function

    return decorate


def daily(*, at: str, name: str) -> Callable[[JobFunction], JobFunction]:
    """``at`` is "HH:MM" in the installation's time zone."""
    moment = time.fromisoformat(at)

    def decorate(function: JobFunction) -> JobFunction:
        _register(Job(name=name, function=function, at=moment))
        return function

    return decorate


def discover() -> dict[str, Job]:
    """Import every installed app's ``schedule`` module; the jobs they declare, by name."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("schedule")
    return dict(sorted(JOBS.items()))
