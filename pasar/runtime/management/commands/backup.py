from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pasar.runtime import backup


class Command(BaseCommand):
    help = "Write a backup archive: the database (SQLite backup API / pg_dump) and the uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="folder for the archive (default PASAR_BACKUP_DIR)")
        parser.add_argument("--no-files", action="store_true", help="the database only, without uploads")
        parser.add_argument("--keep", type=int, help="then delete all but the N newest archives there")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup.backup(options["output"], files=not options["no_files"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{archive} ({archive.stat().st_size / 1e6:.1f} MB)")
        if options["keep"] is not None:
            for old in backup.prune(archive.parent, keep=options["keep"]):
                self.stdout.write(f"deleted {old.name}")
