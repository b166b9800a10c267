from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pasar.runtime import backup


class Command(BaseCommand):
    help = "Restore a `pasar backup` archive into an empty database of the same engine, then check row counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="replace a database that already holds data")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backup.restore(options["archive"], force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {done.rows} rows in {done.tables} tables from {done.archive.name}")
