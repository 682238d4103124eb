"""Synthetic demo cases for the demo accounts, and then the demo early signals
(devtools/demo_signals.py): `manage.py seed_demo_cases`.

Run by `seed_demo` after the accounts; see `cases/demo.py` for what is made and how. Safe to
run again (existing demo cases are kept as they are). Refuses to run with DEBUG off unless
--force, like seed_demo.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools import demo, demo_signals
from partners.models import User


class Command(BaseCommand):
    help = "Create the synthetic demo cases (needs the demo accounts of seed_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a production installation).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo_cases creates demo data; it refuses to run with DEBUG off. "
                "Use --force only on a test or demo installation."
            )
        users = {u.email: u for u in User.objects.filter(is_demo=True, is_active=True)}
        missing = demo.REQUIRED_ACCOUNTS - users.keys()
        if missing:
            raise CommandError(
                f"Demo accounts missing (run seed_demo first): {', '.join(sorted(missing))}"
            )
        created = demo.seed_demo_cases(users=users, report=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo cases: {len(created)} created, "
                f"{len(demo.SCENARIOS) - len(created)} already there."
            )
        )
        signals = demo_signals.seed_demo_signals(users=users, report=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo early signals: {len(signals)} created, "
                f"{len(demo_signals.DEMO_SIGNALS) - len(signals)} already there."
            )
        )
