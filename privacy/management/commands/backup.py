"""`manage.py backup --to DIR`: the database (pg_dump, custom format) and the uploaded files,
with a manifest of checksums (privacy/backup.py, docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from privacy import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new or empty directory."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--to", required=True, type=Path, help="A new or empty directory.")

    def handle(self, *args: Any, to: Path, **options: Any) -> None:
        try:
            manifest = backup.backup(to=to)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup in {to}: database dump {manifest['database']['bytes']} bytes, "
            f"{len(manifest['media']['files'])} files, started {manifest['started_at']}."
        )
