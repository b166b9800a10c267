"""Bounded load runs with wrk on loopback, and the server CPU each request cost."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.server import Gunicorn, database_backend_pids, pids_cpu

WRK = shutil.which("wrk") or "/usr/bin/wrk"
LUA_SCRIPT = Path(__file__).with_name("wrk_report.lua")
THREADS = 2
CONNECTIONS = 8

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
_RESULT = re.compile(r"^BENCH_RESULT (.*)$", re.MULTILINE)


@dataclass
class LoadResult:
    """One wrk run against one target. Times in milliseconds, CPU in milliseconds per request."""

    requests: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int
    cpu_ms_per_request: float | None
    db_cpu_ms_per_request: float | None = None
    workers_restarted: bool = False

    @property
    def total_cpu_ms_per_request(self) -> float | None:
        """Server plus database CPU: PostgreSQL runs queries in its own processes, SQLite in the worker."""
        if self.cpu_ms_per_request is None:
            return None
        return self.cpu_ms_per_request + (self.db_cpu_ms_per_request or 0.0)

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"total_cpu_ms_per_request": self.total_cpu_ms_per_request}


def parse_wrk(output: str) -> dict[str, float]:
    """The figures of one wrk run: its own summary lines plus the script's BENCH_RESULT line."""
    figures: dict[str, float] = {}
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if rps:
        figures["requests_per_s"] = float(rps.group(1))
    for percent, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE):
        figures[f"wrk_p{percent}_ms"] = float(value) * _UNITS[unit]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    figures["non_2xx"] = float(non2xx.group(1)) if non2xx else 0.0
    result = _RESULT.search(output)
    if result:
        for pair in result.group(1).split():
            key, value = pair.split("=")
            figures[key] = float(value)
    return figures


def run_wrk(base_url: str, paths: list[str], *, seconds: float) -> str:
    command = [
        WRK,
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA_SCRIPT),
        base_url,
        "--",
        *paths,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True)
    return completed.stdout


def measure(server: Gunicorn, paths: list[str], *, seconds: float) -> LoadResult:
    """Load ``paths`` (round robin) for ``seconds``; CPU per request from /proc counters of the
    gunicorn processes and, on PostgreSQL, of the backends serving them."""
    backends = database_backend_pids()
    db_before = pids_cpu(backends)
    before = server.cpu()
    output = run_wrk(server.base_url, paths, seconds=seconds)
    after = server.cpu()
    db_after = pids_cpu(backends)
    figures = parse_wrk(output)
    requests = int(figures.get("requests", 0))
    restarted = before.pids != after.pids  # a replaced worker takes its CPU counters with it
    cpu = (after.seconds - before.seconds) * 1000 / requests if requests and not restarted else None
    # A backend that closed or opened during the run would be miscounted; then report none.
    new_backends = set(database_backend_pids()) != set(backends) or db_before.pids != db_after.pids
    db_cpu = None
    if backends and requests and not new_backends:
        db_cpu = (db_after.seconds - db_before.seconds) * 1000 / requests
    return LoadResult(
        requests=requests,
        seconds=figures.get("duration_us", 0) / 1e6,
        requests_per_s=figures.get("requests_per_s", 0.0),
        p50_ms=figures.get("p50_us", 0) / 1000,
        p95_ms=figures.get("p95_us", 0) / 1000,
        p99_ms=figures.get("p99_us", 0) / 1000,
        max_ms=figures.get("max_us", 0) / 1000,
        non_2xx=int(figures.get("non2xx", figures.get("non_2xx", 0))),
        socket_errors=int(figures.get("socket_errors", 0)),
        cpu_ms_per_request=cpu,
        db_cpu_ms_per_request=db_cpu,
        workers_restarted=restarted,
    )
