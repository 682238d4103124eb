"""`manage.py retention [--dry-run]`: remove the personal data of closed cases past retention.

The daily Celery job does the same; this command is for operators (and lists what would go
with --dry-run, changing nothing)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Anonymise closed cases whose retention period has passed (--dry-run: only list)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List the cases that would go; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        from privacy import services

        due = list(services.retention_due().select_related("district"))
        cutoff = services.retention_cutoff()
        self.stdout.write(
            f"Retention: {settings.RETENTION_YEARS_AFTER_CLOSING} years after closing; "
            f"cases closed on or before {cutoff.isoformat()}: {len(due)}"
        )
        for case in due:
            persons = case.persons.count()
            documents = case.documents.count()
            self.stdout.write(
                f"  {case.number or case.pk}  closed {case.closed_on.isoformat()}  "
                f"persons {persons}  documents {documents}"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
            return
        done = 0
        for case in due:
            if services.retention_apply(case=case) is not None:
                done += 1
        self.stdout.write(self.style.SUCCESS(f"Anonymised {done} case(s)."))
