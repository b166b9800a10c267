"""``pasar serve`` end to end: three supervised roles, compressed static, readiness, SIGKILL recovery.

The server runs in processes of its own on the real clock, against a database of its own (a fresh
SQLite data folder, or a new PostgreSQL database when the suite runs on PostgreSQL).
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.wall_clock, pytest.mark.django_db(transaction=True)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - http on loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError:  # not listening (yet, or while the web server restarts)
        return 0, {}, b""


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def children_of(pid):
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[1]) == pid:
            role = re.search(r"--(web|worker|scheduler)-only", cmdline)
            if role:
                found[role.group(1)] = int(stat.parent.name)
            elif "gunicorn" in cmdline:  # the web role replaced itself with gunicorn's master
                found["web"] = int(stat.parent.name)
    return found


@pytest.fixture
def database_env(tmp_path):
    """Environment for a server on a database of its own, migrated."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PASAR_", "DJANGO_"))}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "pasar.settings",
        "PASAR_DATA_DIR": str(tmp_path / "data"),
        "PASAR_HEARTBEAT_SECONDS": "0.5",
        "PASAR_HEARTBEAT_STALE_SECONDS": "3",
        "PASAR_TASK_RETRY_DELAY_SECONDS": "1",
        "PASAR_BACKUP_NIGHTLY": "0",
        "PASAR_LOG_LEVEL": "WARNING",
        "PASAR_SECRET_KEY": "test-serve-secret-key",  # serving refuses the built-in development key
    }
    name = None
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        name = f"pasar_serve_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        )
    pasar(env, "migrate", "--verbosity", "0")
    yield env
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pasar(env, *args):
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "pasar.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def server(database_env, tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "pasar.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=database_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        yield {"process": process, "base": base, "env": database_env, "log": tmp_path / "serve.log"}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.kill()
        log.close()


def ready(base):
    status, _, body = get(f"{base}/readyz")
    return json.loads(body) if status == 200 else None


def test_serve_runs_three_roles_brings_a_killed_worker_back_and_loses_no_task(server, tmp_path):
    base, process = server["base"], server["process"]
    report = wait_until(lambda: ready(base), 90, "/readyz to be ok")
    assert (report["worker"], report["scheduler"], report["database"]) == ("ok", "ok", "ok")
    children = children_of(process.pid)
    assert set(children) == {"web", "worker", "scheduler"}

    # Static files as production serves them: hashed, brotli, cached for a year.
    _, _, home = get(f"{base}/")
    script = re.search(rb'src="(/static/django_htmx/htmx-2\.min\.[0-9a-f]{12}\.js)"', home)
    assert script, home[:500]
    status, headers, body = get(f"{base}{script.group(1).decode()}", {"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "br"
    assert headers["Cache-Control"] == "max-age=31536000, public, immutable"
    assert len(body) < 20_000

    # A task running when its worker is SIGKILLed runs again on the worker that replaces it.
    marker = tmp_path / "marker.txt"
    code = f"from pasar.runtime.tests.tasks import sleeps_then_marks; sleeps_then_marks.enqueue(3, {str(marker)!r})"
    pasar(server["env"], "shell", "--no-imports", "-c", code)
    wait_until(lambda: (ready(base) or {}).get("tasks", {}).get("running") == 1, 30, "the task to start")
    os.kill(children["worker"], signal.SIGKILL)
    wait_until(lambda: children_of(process.pid).get("worker") not in (None, children["worker"]), 30, "a new worker")
    wait_until(lambda: marker.exists(), 60, "the task to finish on the new worker")
    assert marker.read_text() == "done\n"  # the killed attempt never finished; the retry did, once

    # The scheduler killed: back, and leading again.
    os.kill(children["scheduler"], signal.SIGKILL)
    wait_until(lambda: children_of(process.pid).get("scheduler") not in (None, children["scheduler"]), 30, "scheduler")
    wait_until(lambda: ready(base), 30, "/readyz to be ok again")

    # The web server killed: back and answering.
    os.kill(children["web"], signal.SIGKILL)
    wait_until(lambda: children_of(process.pid).get("web") not in (None, children["web"]) and _answers(base), 60, "web")

    # SIGTERM stops every role and the supervisor cleanly.
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
    assert children_of(process.pid) == {}
    log = server["log"].read_text()
    assert "worker exited with signal SIGKILL; starting it again" in log
    assert "scheduler exited with signal SIGKILL; starting it again" in log


def _answers(base):
    return get(f"{base}/healthz")[0] == 200


def test_one_role_only_runs_just_that_role(database_env):
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "pasar.cli", "serve", "--scheduler-only"],
        env=database_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        code = "from pasar.runtime.models import Heartbeat; print(Heartbeat.objects.filter(role='scheduler').count())"
        wait_until(
            lambda: pasar(database_env, "shell", "--no-imports", "-c", code).strip() == "1",
            60,
            "the scheduler's heartbeat",
        )
        assert children_of(process.pid) == {}  # no supervisor, no children: this process is the scheduler
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
