"""The server under test: gunicorn (2 sync workers, DEBUG off) on a free loopback port, and
the CPU time its processes have used, read from /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.environment import REPO_ROOT

WORKERS = 2
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proc_cpu_seconds(stat_line: str) -> float:
    """utime + stime of one /proc/<pid>/stat line, in seconds (the name may contain spaces)."""
    fields = stat_line.rsplit(")", 1)[1].split()
    # After ")": state is field 3 of proc(5); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def _read(path: str) -> str:
    return Path(path).read_text()


@dataclass
class CpuSample:
    seconds: float
    pids: frozenset[int]


def pids_cpu(pids: list[int]) -> CpuSample:
    """CPU seconds used so far by ``pids``; a process that has gone is left out of ``pids``."""
    total, alive = 0.0, []
    for pid in pids:
        try:
            total += proc_cpu_seconds(_read(f"/proc/{pid}/stat"))
        except FileNotFoundError:
            continue
        alive.append(pid)
    return CpuSample(total, frozenset(alive))


def database_backend_pids() -> list[int]:
    """PostgreSQL backends serving the benchmark database, except this process's own connection."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass
class Gunicorn:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        children = _read(f"/proc/{pid}/task/{pid}/children").split()
        return [int(c) for c in children]

    def cpu(self) -> CpuSample:
        """CPU seconds used so far by the master and its workers."""
        return pids_cpu([self.process.pid, *self.worker_pids()])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start(*, env: dict[str, str], log_dir: Path, ready_path: str = "/tentang/", timeout: float = 30.0) -> Gunicorn:
    """Start gunicorn with the product's WSGI app under ``bench.settings`` and wait until it answers."""
    port = free_port()
    log = log_dir / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "pasar.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Gunicorn(process, port, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(server.base_url + ready_path, timeout=2) as response:  # noqa: S310
                if response.status == 200 and len(server.worker_pids()) == WORKERS:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {log}")
