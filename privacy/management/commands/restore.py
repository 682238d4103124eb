"""`manage.py restore --from DIR`: into an empty database and an empty media directory, then
the erasures done since the backup are replayed from the erasure ledger, so no erased person
comes back (privacy/backup.py, privacy/ledger.py, docs/operations.md).

`--replay-only` replays the ledger again on an already restored database (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from privacy import backup, ledger


class Command(BaseCommand):
    help = "Restore a backup into an empty database and media directory; replay erasures since."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--from", dest="source", required=True, type=Path, help="A backup directory."
        )
        parser.add_argument(
            "--replay-only",
            action="store_true",
            help="Only replay the erasure ledger from the backup's time on (idempotent).",
        )

    def handle(self, *args: Any, source: Path, replay_only: bool = False, **options: Any) -> None:
        try:
            report = backup.restore(source=source, replay_only=replay_only)
        except (backup.BackupError, ledger.LedgerError) as error:
            raise CommandError(str(error)) from error
        if not replay_only:
            self.stdout.write(f"Restored the database and {report.files} files from {source}.")
        counts = ", ".join(f"{k} {v}" for k, v in sorted(report.replay_counts.items()))
        self.stdout.write(
            f"Erasure ledger {ledger.ledger_path()}: {report.replayed} erasures since the "
            f"backup replayed ({counts or 'nothing to do'})."
        )
        if not replay_only:
            self.stdout.write(
                "Next: `manage.py retention` removes what passed its retention period since "
                "the backup (the daily job would do so tonight)."
            )
