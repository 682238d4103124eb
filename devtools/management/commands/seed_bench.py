"""manage.py seed_bench --cases N: the benchmark data set (devtools/benchdata.py).

Seeds N cases over 10 years, in every phase, with everything around them, into the
configured database (migrated first); COPY and bulk SQL, so 100,000 cases take minutes.
Meant for a database of its own, e.g.

    /work/tools/mktemplate bench_f14        # an empty, migrated database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_f14 \\
        .venv/bin/python manage.py seed_bench --cases 100000

Refuses a database that already holds cases (run it on a fresh one) and, with DEBUG off,
unless --force (never on a production installation).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.models import Case
from devtools import benchdata


class Command(BaseCommand):
    help = "Seed the benchmark data set: N cases over 10 years (bulk inserts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Benchmark data only with DEBUG on (or --force).")
        if not options["no_migrate"]:
            call_command("migrate", verbosity=0)
        if Case.objects.exists():
            raise CommandError("This database already holds cases: seed a fresh one.")
        counts = benchdata.seed(cases=options["cases"], report=self.stdout.write)
        self.stdout.write(benchdata.summary(sorted(counts.items())))
        self.stdout.write(self.style.SUCCESS(f"Seeded {options['cases']} cases."))
