"""manage.py benchmark_deadlines: seed open deadlines in bulk and time the scan.

Two distributions of the same number of open deadlines (default: both, one after the
other): "catch-up", where 93% reached a stage at once and nobody was told (the worst case:
a first scan ever, or a long outage), and "realistic", a running installation's mix where
most are months or years from due and everything up to yesterday was told (the catch-up
after a day without scans). Each is timed three times: the catch-up, a rerun with nothing
new, and a scan a day later.

By default everything happens in a throwaway database (created on the same PostgreSQL
server, migrated, dropped afterwards); `--database-url` names another empty database to
use instead (kept). The configured database is never touched. Results go to
benchmarks/results/deadlines.json (and are printed).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
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
        parser.add_argument(
            "--distribution",
            choices=["both", *DISTRIBUTIONS],
            default="both",
            help="catch-up: 93%% of the deadlines reached a stage and nobody was told yet "
            "(the worst case); realistic: a running installation's mix of kinds, most not "
            "due yet, told up to yesterday; both (default): one after the other.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = (
            list(DISTRIBUTIONS) if options["distribution"] == "both" else [options["distribution"]]
        )
        with benchmark_database(
            self, prefix="benchmark_deadlines", database_url=options["database_url"]
        ):
            results = self._run(options["count"], options["batch_size"], chosen)
        write_results(self, results, options["output"])

    def _run(self, count: int, batch_size: int | None, chosen: list[str]) -> dict[str, Any]:
        from django.contrib.auth.models import Group
        from django.utils import timezone

        from cases.models import Case
        from notifications.models import NotificationPreference
        from partners.choices import Role
        from partners.models import Covenant, Organisation, User

        Covenant.objects.update(is_active=False)  # only the seeded deadlines count
        organisation = Organisation.objects.order_by("pk").first()

        def users(role: Role, prefix: str, number: int) -> list[User]:
            group, _ = Group.objects.get_or_create(name=role.value)
            made = []
            for n in range(number):
                user = User.objects.create_user(
                    email=f"benchmark-{prefix}-{n}@example.org",
                    password=None,
                    organisation=organisation,
                )
                user.groups.add(group)
                # Digest: the benchmark times the scan, not thousands of e-mail tasks.
                NotificationPreference.objects.create(user=user, email_mode="digest")
                made.append(user)
            return made

        coordinators = users(Role.COORDINATOR, "coordinator", 2)
        casemanagers = users(Role.CASEMANAGER, "casemanager", 50)
        users(Role.PRIVACY_OFFICER, "privacy-officer", 1)

        started = time.monotonic()
        cases = Case.objects.bulk_create(
            [
                Case(
                    number=f"BM-{n:07d}",
                    status="referred",
                    created_by=coordinators[0],
                    casemanager=casemanagers[n % len(casemanagers)],
                )
                for n in range(count)
            ],
            batch_size=5000,
        )
        results: dict[str, Any] = {
            "seeded": count,
            "seed_cases_seconds": round(time.monotonic() - started, 1),
            "batch_size": batch_size or settings.DEADLINE_SCAN_BATCH_SIZE,
        }
        for distribution in chosen:
            results[distribution.replace("-", "_")] = self._scenario(
                distribution, cases, batch_size, today=timezone.localdate()
            )
        results["machine"] = {
            "cpus": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 1),
            "python": platform.python_version(),
            "postgresql": connection.cursor().connection.info.server_version,
        }
        results["measured_at"] = timezone.now().isoformat(timespec="seconds")
        return results

    def _scenario(
        self, distribution: str, cases: list[Any], batch_size: int | None, *, today: dt.date
    ) -> dict[str, Any]:
        from django.utils import timezone

        from deadlines import services
        from deadlines.models import Deadline
        from notifications.models import Notification

        with connection.cursor() as cursor:  # the previous scenario's rows
            cursor.execute("TRUNCATE notifications_notification, deadlines_deadline CASCADE")
        started = time.monotonic()
        Deadline.objects.bulk_create(DISTRIBUTIONS[distribution](cases, today), batch_size=5000)
        seed_seconds = time.monotonic() - started
        with connection.cursor() as cursor:
            # What autovacuum would have done by now (the development cluster runs without).
            cursor.execute("VACUUM ANALYZE deadlines_deadline")
            cursor.execute("VACUUM ANALYZE notifications_notification")
        self.stdout.write(f"{distribution}: {Deadline.objects.count():,} deadlines seeded")

        now = timezone.now()
        result: dict[str, Any] = {"seed_seconds": round(seed_seconds, 1)}
        if distribution == "realistic":
            # The installation ran its scans up to yesterday; then the worker was down for a
            # day. The first scan here tells what reached a stage before (untimed setup,
            # but its numbers are recorded: a first scan ever on such an installation).
            before = services.deadlines_scan(now=now - dt.timedelta(days=1), batch_size=batch_size)
            result["scan_up_to_yesterday"] = before.as_dict()
        open_deadlines = Deadline.objects.open()
        result["open_deadlines"] = open_deadlines.count()
        result["past_warning_date"] = open_deadlines.filter(soon_on__lte=today).count()
        # Catch-up: every deadline that reached a stage and was not told is told at once.
        first = services.deadlines_scan(now=now, batch_size=batch_size)
        # The next beat run: nothing new.
        second = services.deadlines_scan(now=now, batch_size=batch_size)
        # A day later: one day's share of the deadlines reaches a new stage.
        next_day = services.deadlines_scan(now=now + dt.timedelta(days=1), batch_size=batch_size)
        result.update(
            {
                "first_scan": first.as_dict(),
                "second_scan_nothing_new": second.as_dict(),
                "scan_a_day_later": next_day.as_dict(),
                "notifications_in_table": Notification.objects.count(),
                "notifications_per_second": round(first.notifications / first.seconds)
                if first.seconds
                else None,
            }
        )
        return result


def _catch_up(cases: list[Any], today: dt.date) -> list[Any]:
    """Intake deadlines referred over the last 60 days, nobody told yet: about 9 in 10 are
    overdue or due soon at once (as after a long outage, or a first scan ever)."""
    from deadlines import kinds, registry
    from deadlines.models import Deadline

    kind = registry.get(kinds.INTAKE)
    rows = []
    for n, case in enumerate(cases):
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
    return rows


# The realistic mix, per 100 open deadlines: (kind, share, the days over which they started).
# Like seed_bench's data: open deadlines are mostly retention periods of closed cases (years)
# and evaluations months ahead; open intakes are recent; a few of each are overdue.
_MIX = (
    ("intake", 2, 10),
    ("six_month_evaluation", 25, 200),
    ("periodic_evaluation", 23, 100),
    ("retention", 50, 5 * 365 + 10),
)


def _realistic(cases: list[Any], today: dt.date) -> list[Any]:
    """A running installation's open deadlines: the mix above, start dates spread evenly."""
    from deadlines import registry
    from deadlines.models import Deadline

    rows = []
    kinds_cycle = [code for code, share, _ in _MIX for _ in range(share)]
    spans = {code: days for code, _, days in _MIX}
    dates: dict[tuple[str, dt.date], tuple[dt.date, dt.date, dt.datetime]] = {}
    rng = random.Random(15)  # noqa: S311 - synthetic data, the same every run
    for n, case in enumerate(cases):
        code = kinds_cycle[n % len(kinds_cycle)]
        started_on = today - dt.timedelta(days=rng.randrange(spans[code]))
        if (code, started_on) not in dates:
            dates[code, started_on] = registry.get(code).dates(started_on)
        due_on, soon_on, due_at = dates[code, started_on]
        rows.append(
            Deadline(
                kind=code,
                case=case,
                started_on=started_on,
                due_on=due_on,
                soon_on=soon_on,
                due_at=due_at,
            )
        )
    return rows


DISTRIBUTIONS = {"catch-up": _catch_up, "realistic": _realistic}
