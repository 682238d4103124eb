"""manage.py benchmark_deadlines: seed open deadlines in bulk and time the scan.

By default everything happens in a throwaway database (created on the same PostgreSQL
server, migrated, dropped afterwards); `--database-url` names another empty database to
use instead (kept). The configured database is never touched. Results go to
benchmarks/results/deadlines.json (and are printed).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from devtools.benchmarking import benchmark_database, write_results

RESULTS = Path(settings.BASE_DIR) / "benchmarks" / "results" / "deadlines.json"


class Command(BaseCommand):
    help = "Seed open deadlines (default 100,000) and time one deadline scan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument(
            "--database-url",
            default="",
            help="An empty database to use (kept). Default: a throwaway database.",
        )
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--output", default=str(RESULTS))

    def handle(self, *args: Any, **options: Any) -> None:
        with benchmark_database(
            self, prefix="benchmark_deadlines", database_url=options["database_url"]
        ):
            results = self._run(options["count"], options["batch_size"])
        write_results(self, results, options["output"])

    def _run(self, count: int, batch_size: int | None) -> dict[str, Any]:
        from django.contrib.auth.models import Group
        from django.utils import timezone

        from cases.models import Case
        from deadlines import kinds, registry, services
        from deadlines.models import Deadline
        from notifications.models import Notification, NotificationPreference
        from partners.choices import Role
        from partners.models import Covenant, Organisation, User

        Covenant.objects.update(is_active=False)  # only the seeded deadlines count
        organisation = Organisation.objects.order_by("pk").first()
        group, _ = Group.objects.get_or_create(name=Role.COORDINATOR.value)
        coordinators = []
        for n in range(2):
            user = User.objects.create_user(
                email=f"benchmark-coordinator-{n}@example.org",
                password=None,
                organisation=organisation,
            )
            user.groups.add(group)
            # Digest: the benchmark times the scan, not 200,000 e-mail tasks on the broker.
            NotificationPreference.objects.create(user=user, email_mode="digest")
            coordinators.append(user)

        started = time.monotonic()
        today = timezone.localdate()
        cases = Case.objects.bulk_create(
            [
                Case(number=f"BM-{n:07d}", status="referred", created_by=coordinators[0])
                for n in range(count)
            ],
            batch_size=5000,
        )
        kind = registry.get(kinds.INTAKE)
        rows = []
        for n, case in enumerate(cases):
            # Referred over the last 60 days: about 9 in 10 are overdue or due soon now.
            started_on = today - dt.timedelta(days=n % 60)
            due_on, soon_on, due_at = kind.dates(started_on)
            rows.append(
                Deadline(
                    kind=kinds.INTAKE,
                    case=case,
                    started_on=started_on,
                    due_on=due_on,
                    soon_on=soon_on,
                    due_at=due_at,
                )
            )
        Deadline.objects.bulk_create(rows, batch_size=5000)
        seed_seconds = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE deadlines_deadline; ANALYZE notifications_notification")

        now = timezone.now()
        # Catch-up: every deadline that reached a stage is told at once (as after an outage).
        first = services.deadlines_scan(now=now, batch_size=batch_size)
        # The next beat run: nothing new.
        second = services.deadlines_scan(now=now, batch_size=batch_size)
        # A day later: one day's share of the deadlines reaches a new stage.
        next_day = services.deadlines_scan(now=now + dt.timedelta(days=1), batch_size=batch_size)
        notifications = Notification.objects.count()
        return {
            "open_deadlines": Deadline.objects.open().count(),
            "seeded": count,
            "seed_seconds": round(seed_seconds, 1),
            "batch_size": batch_size or settings.DEADLINE_SCAN_BATCH_SIZE,
            "recipients_per_deadline": len(coordinators),
            "first_scan": first.as_dict(),
            "second_scan_nothing_new": second.as_dict(),
            "scan_a_day_later": next_day.as_dict(),
            "notifications_in_table": notifications,
            "notifications_per_second": round(first.notifications / first.seconds)
            if first.seconds
            else None,
            "machine": {
                "cpus": os.cpu_count(),
                "load_average_1min": round(os.getloadavg()[0], 1),
                "python": platform.python_version(),
                "postgresql": connection.cursor().connection.info.server_version,
            },
            "measured_at": timezone.now().isoformat(timespec="seconds"),
        }
