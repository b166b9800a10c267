"""``pasar serve``: the whole product (web, task worker, scheduler) under one supervisor, or one role."""

import os
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pasar.core.deploy import require_secret_key
from pasar.runtime import supervisor


class Command(BaseCommand):
    help = (
        "Run Pasar Daring: the web server (gunicorn), the task worker and the scheduler, supervised "
        "(a child that dies is started again; Ctrl-C or SIGTERM stops them all). --web-only, "
        "--worker-only or --scheduler-only run one role in this process, for installs that split them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address of the web server")
        parser.add_argument("--workers", type=int, default=2, help="web server processes (gunicorn workers)")
        roles = parser.add_mutually_exclusive_group()
        for role in supervisor.ROLES:
            roles.add_argument(f"--{role}-only", action="store_true", help=f"run only the {role}")
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="static files are already collected (hashed, compressed)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        require_secret_key()
        only = [role for role in supervisor.ROLES if options[f"{role}_only"]]
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        if only == ["worker"]:
            from pasar.runtime import worker

            worker.run()
            return
        if only == ["scheduler"]:
            from pasar.runtime import scheduler

            scheduler.run()
            return
        if not options["no_collectstatic"]:
            collect_static()
        if only == ["web"]:
            exec_gunicorn(options["bind"], options["workers"])
        passthrough = ["--bind", options["bind"], "--workers", str(options["workers"]), "--no-collectstatic"]
        sys.exit(supervisor.supervise(supervisor.ROLES, passthrough))


def start_collect_static() -> subprocess.Popen[bytes]:
    """Hashed names and gzip/brotli copies in the data folder, so whitenoise serves them for a year.

    In a process of its own: compressing every file leaves ~130 MB in the process that did it, and the
    supervisor lives as long as the installation (the soak measured 280 MB against 150 MB). The demo
    starts it while it loads its data."""
    command = [sys.executable, "-m", "pasar.cli", "collectstatic", "--noinput", "--verbosity", "0"]
    return subprocess.Popen(command)  # noqa: S603 - our own interpreter and command


def collect_static() -> None:
    if start_collect_static().wait() != 0:
        raise CommandError("collecting static files failed (see above)")


def exec_gunicorn(bind: str, workers: int) -> None:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "pasar.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--preload",  # workers share the imported code (copy-on-write): less memory per worker
        "--timeout",
        "30",
        "--graceful-timeout",
        "20",
        "--max-requests",
        "5000",  # recycle a worker now and then, so a slow leak never grows without bound
        "--max-requests-jitter",
        "500",
        "--no-control-socket",  # one per machine at a fixed path: two installs would fight over it
        "--access-logfile",
        "-",
    ]
    os.execv(sys.executable, argv)  # noqa: S606 - replaces this process on purpose
