"""Heartbeats: each worker and scheduler process says every few seconds that it is alive.

``/readyz`` reads them (a role is "ok" while one of its processes beat within
``PASAR_HEARTBEAT_STALE_SECONDS``), and the scheduler's task recovery treats a RUNNING task whose
worker stopped beating as lost with it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from pasar.runtime.models import Heartbeat

logger = logging.getLogger(__name__)


# Set by the supervisor on each child it starts, so it knows whose heartbeat and tasks a dead child leaves.
INSTANCE_VARIABLE = "PASAR_INSTANCE_ID"


def beat_seconds() -> float:
    return float(settings.PASAR_HEARTBEAT_SECONDS)


def stale_after() -> timedelta:
    return timedelta(seconds=settings.PASAR_HEARTBEAT_STALE_SECONDS)


def new_instance_id(role: str) -> str:
    return f"{role[:9]}-{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def beat(instance: str, role: str, *, started_at: datetime) -> None:
    now = timezone.now()
    updated = Heartbeat.objects.filter(instance=instance).update(role=role, beat_at=now, stopped_at=None)
    if not updated:
        Heartbeat.objects.create(
            instance=instance,
            role=role,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at,
            beat_at=now,
        )


def stop(instance: str) -> None:
    """A clean exit says so, so /readyz does not wait out the staleness window to report it."""
    Heartbeat.objects.filter(instance=instance).update(stopped_at=timezone.now())


def alive(role: str, *, now: datetime | None = None) -> Heartbeat | None:
    """The freshest live heartbeat of ``role``, or None."""
    now = now or timezone.now()
    return (
        Heartbeat.objects.filter(role=role, stopped_at__isnull=True, beat_at__gte=now - stale_after())
        .order_by("-beat_at")
        .first()
    )


def live_instances(role: str, *, now: datetime | None = None) -> set[str]:
    now = now or timezone.now()
    rows = Heartbeat.objects.filter(role=role, stopped_at__isnull=True, beat_at__gte=now - stale_after())
    return set(rows.values_list("instance", flat=True))


def prune(*, older_than: timedelta = timedelta(days=2)) -> int:
    deleted, _ = Heartbeat.objects.filter(beat_at__lt=timezone.now() - older_than).delete()
    return deleted


class Beater(threading.Thread):
    """Beats from a thread of its own, so a worker busy with a long task still counts as alive.

    The thread has its own database connection (Django's connections are per thread) and closes it
    when it stops.
    """

    def __init__(self, instance: str, role: str) -> None:
        super().__init__(name=f"heartbeat-{role}", daemon=True)
        self.instance = instance
        self.role = role
        self.started_at = timezone.now()
        self._stop_event = threading.Event()

    def beat_now(self) -> None:
        """The first beat, from the caller's thread, so a process is "ok" as soon as it starts."""
        beat(self.instance, self.role, started_at=self.started_at)

    def run(self) -> None:
        try:
            while not self._stop_event.is_set():
                close_old_connections()
                try:
                    beat(self.instance, self.role, started_at=self.started_at)
                except Exception:  # a lost connection must not end the beating: the next one retries
                    logger.exception("heartbeat of %s failed", self.instance)
                self._stop_event.wait(beat_seconds())
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=beat_seconds())
