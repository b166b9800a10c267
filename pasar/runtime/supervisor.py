"""``pasar serve``'s supervisor: start the web server, the task worker and the scheduler, keep them up.

Each role is a child process (``pasar serve --<role>-only``) in a process group of its own, so a
Ctrl-C in the terminal reaches the supervisor only, which then stops the children in order with
SIGTERM (SIGKILL after a grace period). A child that dies is logged and started again after a
backoff (1 s, 2 s, 4 s … 30 s; reset once it has stayed up a minute). systemd or a container can
run the same roles as separate services instead (see docs/deploy.md).

Why our own: see docs/decisions/0003-runtime.md (honcho/foreman stop everything when one child
exits; supervisord/circus are a second configuration language to install).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType

from pasar.runtime.heartbeat import INSTANCE_VARIABLE, new_instance_id

logger = logging.getLogger("pasar.supervisor")

ROLES = ("web", "worker", "scheduler")
GRACE_SECONDS = 20.0
MAX_BACKOFF = 30.0
STABLE_SECONDS = 60.0


@dataclass
class Child:
    role: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff: float = 1.0
    restart_at: float | None = None
    exits: list[int] = field(default_factory=list)
    instance: str = ""

    def start(self) -> None:
        self.instance = new_instance_id(self.role)
        env = {**os.environ, INSTANCE_VARIABLE: self.instance}
        # Own process group: the terminal's Ctrl-C goes to the supervisor, which stops children in order.
        self.process = subprocess.Popen(self.argv, env=env, process_group=0)  # noqa: S603 - our interpreter
        self.started_at = time.monotonic()
        self.restart_at = None
        logger.warning("%s started (pid %d)", self.role, self.process.pid)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None


def child_argv(role: str, passthrough: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "pasar.cli", "serve", f"--{role}-only", *passthrough]


class Supervisor:
    def __init__(self, roles: Sequence[str], passthrough: Sequence[str]) -> None:
        self.children = [Child(role, child_argv(role, passthrough)) for role in roles]
        self.stopping = False

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if not self.stopping:
            logger.warning("%s: stopping %s", signal.Signals(signum).name, ", ".join(c.role for c in self.children))
        self.stopping = True

    def _reap(self) -> None:
        now = time.monotonic()
        for child in self.children:
            if child.process is None or child.process.poll() is None:
                continue
            code = child.process.returncode
            child.exits.append(code)
            child.process = None
            how = f"signal {signal.Signals(-code).name}" if code < 0 else f"code {code}"
            self.on_exit(child)
            if self.stopping:
                continue
            if now - child.started_at >= STABLE_SECONDS:
                child.backoff = 1.0
            child.restart_at = now + child.backoff
            logger.error("%s exited with %s; starting it again in %.0f s", child.role, how, child.backoff)
            child.backoff = min(child.backoff * 2, MAX_BACKOFF)

    def on_exit(self, child: Child) -> None:
        """A child is gone: its heartbeat says so at once and a dead worker's tasks go back to the queue
        (the scheduler's periodic recovery would find them too, a minute later)."""
        if child.role not in ("worker", "scheduler"):
            return
        try:
            from django.db import connection

            from pasar.runtime import heartbeat
            from pasar.runtime.tasks import recover_lost

            heartbeat.stop(child.instance)
            if child.role == "worker":
                requeued, failed = recover_lost(dead=child.instance)
                if requeued or failed:
                    logger.warning("worker's running tasks: %d put back, %d failed", requeued, failed)
            connection.close()
        except Exception:  # the database may be what killed it: the periodic recovery remains
            logger.exception("could not record the exit of %s", child.role)

    def _restart_due(self) -> None:
        now = time.monotonic()
        for child in self.children:
            if child.process is None and child.restart_at is not None and now >= child.restart_at:
                child.restarts += 1
                child.start()

    def _stop_all(self) -> None:
        # Web first (no new requests), then the scheduler (no new work), then the worker finishes its task.
        order = sorted(self.children, key=lambda c: {"web": 0, "scheduler": 1, "worker": 2}.get(c.role, 3))
        for child in order:
            if child.process is not None and child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in order:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.error("%s did not stop within %.0f s: killed", child.role, GRACE_SECONDS)
                child.process.kill()
                child.process.wait()
        logger.warning("stopped")

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        for child in self.children:
            child.start()
        try:
            while not self.stopping:
                self._reap()
                self._restart_due()
                time.sleep(0.2)
        finally:
            self._stop_all()
        return 0


def supervise(roles: Sequence[str], passthrough: Sequence[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [supervisor] %(message)s", stream=sys.stderr)
    logger.warning("pasar serve: %s (supervisor pid %d)", ", ".join(roles), os.getpid())
    return Supervisor(roles, passthrough).run()
