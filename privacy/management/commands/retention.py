"""`manage.py retention [--dry-run]`: what the daily retention job removes, or remove it.

Four parts, each with its own period (README, privacy section): closed or attached cases past
`RETENTION_YEARS_AFTER_CLOSING`; referrals redirected at intake past
`RETENTION_REDIRECTED_DAYS`; keyed hashes past `RECIDIVISM_YEARS`; draft referrals never
submitted past `DRAFT_RETENTION_DAYS` (their referrer told `DRAFT_PURGE_NOTICE_DAYS` before);
and what feature apps keep outside any case, registered in `cases.purge` (early signals past
`EARLY_SIGNAL_RETENTION_MONTHS`).
With --dry-run it lists what would go and changes nothing (no notices either)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from cases import purge
from cases.choices import CaseStatus
from privacy import selectors, services


class Command(BaseCommand):
    help = "Remove personal data past its retention period (--dry-run: only list)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would go; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        due = list(selectors.retention_due().select_related("district"))
        redirected = [c for c in due if c.status == CaseStatus.REDIRECTED]
        closed = [c for c in due if c.status != CaseStatus.REDIRECTED]
        self.stdout.write(
            f"Retention: {settings.RETENTION_YEARS_AFTER_CLOSING} years after closing; "
            f"cases closed on or before {selectors.retention_cutoff().isoformat()}: {len(closed)}"
        )
        self._cases(closed)
        self.stdout.write(
            f"Redirected at intake: {settings.RETENTION_REDIRECTED_DAYS} days after the "
            f"redirection; redirected on or before "
            f"{selectors.retention_redirected_cutoff().isoformat()}: {len(redirected)}"
        )
        self._cases(redirected)
        keys = list(services.recidivism_keys_due())
        self.stdout.write(
            f"Keyed hashes: {settings.RECIDIVISM_YEARS} years after closing; cases closed on "
            f"or before {services.recidivism_keys_cutoff().isoformat()} with keys: {len(keys)}"
        )
        for case in keys:
            self.stdout.write(f"  {case.number or case.pk}  closed {case.closed_on.isoformat()}")
        notices = list(services.drafts_to_notify())
        drafts = list(services.drafts_due())
        self.stdout.write(
            f"Draft referrals: deleted {settings.DRAFT_RETENTION_DAYS} days after the last "
            f"change, the referrer told {settings.DRAFT_PURGE_NOTICE_DAYS} days before; "
            f"in the notice period: {len(notices)}; to delete: {len(drafts)}"
        )
        for referral in drafts:
            self.stdout.write(
                f"  draft {referral.pk}  last changed {timezone.localdate(referral.updated_at).isoformat()}"
            )
        for source in purge.retention_sources():
            lines = source.due()
            self.stdout.write(f"{source.rule()} To delete: {len(lines)}")
            for line in lines:
                self.stdout.write(f"  {line}")
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
            return
        counts = services.retention_daily()
        self.stdout.write(
            self.style.SUCCESS(
                f"Anonymised {counts['cases']} case(s); keyed hashes removed from "
                f"{counts['keys']} case(s); {counts['draft_notices']} referrer(s) notified; "
                f"{counts['drafts']} draft(s) deleted."
            )
        )
        for source in purge.retention_sources():
            self.stdout.write(f"{source.name}: {counts.get(source.name, 0)} deleted.")

    def _cases(self, cases: list[Any]) -> None:
        for case in cases:
            self.stdout.write(
                f"  {case.number or case.pk}  closed {case.closed_on.isoformat()}  "
                f"persons {case.persons.count()}  documents {case.documents.count()}"
            )
