"""What the running processes leave in the database: heartbeats (is the worker alive?) and the
scheduler's record of which time bucket each periodic job last ran for."""

from django.conf import settings
from django.db import models


class Heartbeat(models.Model):
    """One row per running worker or scheduler process, touched every few seconds.

    ``instance`` is also the worker id django-tasks-db stores on the tasks a worker claims, so a
    RUNNING task whose worker's heartbeat went stale was lost with that worker.
    """

    class Role(models.TextChoices):
        WORKER = "worker", "worker"
        SCHEDULER = "scheduler", "scheduler"
        STANDBY = "scheduler-standby", "scheduler on standby"

    instance = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["role", "beat_at"])]

    def __str__(self) -> str:
        return f"{self.role} {self.hostname}:{self.pid}"


class JobRun(models.Model):
    """The scheduler's memory of one periodic job: the last time bucket it was claimed for.

    A bucket is claimed by a conditional UPDATE (``due_at`` only moves forward), so even two
    schedulers that both believed they led could not run the same bucket twice.
    """

    name = models.CharField(max_length=100, unique=True)
    due_at = models.DateTimeField(help_text="start of the last bucket claimed")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with a client-made key (``X-Idempotency-Key``): a phone that saved
    without signal replays its queued writes once signal returns, and a replay gets this answer back instead
    of applying the write again (``pasar.runtime.idempotency``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField(default=0)
    location = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_one_per_user_key")]

    def __str__(self) -> str:
        return f"{self.key} {self.path} {self.status}"
