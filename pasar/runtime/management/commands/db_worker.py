"""``pasar db_worker`` runs Pasar Daring's worker (heartbeats, retries) in place of django-tasks-db's
own, so an install set up from older instructions gets the same recovery; prefer
``pasar serve --worker-only``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background task worker (same as `pasar serve --worker-only`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run the queued tasks, then exit")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        # Accepted for compatibility with django-tasks-db's command line; this worker never reloads.
        parser.add_argument("--no-startup-delay", action="store_true", help=argparse_hidden())
        parser.add_argument("--reload", action="store_true", help=argparse_hidden())
        parser.add_argument("--no-reload", action="store_true", help=argparse_hidden())

    def handle(self, *args: Any, **options: Any) -> None:
        from pasar.core.deploy import require_secret_key
        from pasar.runtime import worker

        require_secret_key()
        worker.run(interval=options["interval"], max_tasks=options["max_tasks"], batch=options["batch"])


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
