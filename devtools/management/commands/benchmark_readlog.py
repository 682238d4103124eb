"""manage.py benchmark_readlog: the read log's cost on the case page.

Seeds a case with persons, journal entries, documents and involved organisations, plus a
read log that already holds many rows, then requests the case page many times as a
coordinator and as an involved partner, alternating between with and without read logging
(`audit.readlog.record` replaced by a no-op), and compares the medians.

Like benchmark_deadlines, everything happens in a throwaway database on the same
PostgreSQL server (created, migrated, dropped); `--database-url` names another empty
database instead (kept). Results: benchmarks/results/readlog.json (and printed).
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import time
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client, override_settings

from devtools.benchmarking import benchmark_database, verified_client, write_results

RESULTS = Path(settings.BASE_DIR) / "benchmarks" / "results" / "readlog.json"


class Command(BaseCommand):
    help = "Time the case page with and without read logging (median of many requests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--iterations", type=int, default=400, help="Requests per variant.")
        parser.add_argument("--warmup", type=int, default=30)
        parser.add_argument("--log-rows", type=int, default=200_000, help="Read log pre-fill.")
        parser.add_argument("--journal", type=int, default=30)
        parser.add_argument("--database-url", default="")
        parser.add_argument("--output", default=str(RESULTS))

    def handle(self, *args: Any, **options: Any) -> None:
        with (
            benchmark_database(
                self, prefix="benchmark_readlog", database_url=options["database_url"]
            ),
            override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False),
        ):
            results = self._run(options)
        write_results(self, results, options["output"])

    # --- Seed ----------------------------------------------------------------------------

    def _seed(self, options: dict[str, Any]) -> dict[str, Any]:
        import datetime as dt

        from django.contrib.auth.models import Group
        from django.utils import timezone

        from cases import services
        from cases.choices import CaseStatus, Confidentiality, JournalKind, PersonRole
        from cases.models import Case, Document, JournalEntry, Person, Referral
        from partners import access
        from partners.choices import OrganisationKind, Role
        from partners.models import Organisation, User

        executing = Organisation.objects.filter(kind=OrganisationKind.EXECUTING).earliest("pk")
        police = Organisation.objects.filter(kind=OrganisationKind.POLICE).earliest("pk")
        corporation = Organisation.objects.filter(kind=OrganisationKind.CORPORATION).earliest("pk")

        def user(email: str, organisation: Any, role: Role) -> Any:
            account = User.objects.create_user(
                email=email, password=None, organisation=organisation, first_name="Bench"
            )
            account.groups.add(Group.objects.get(name=role.value))
            access.sync_user_organisation_group(account)
            return account

        coordinator = user("bench-coordinator@example.org", executing, Role.COORDINATOR)
        partner = user("bench-police@example.org", police, Role.PARTNER_REPRESENTATIVE)
        case = Case.objects.create(
            number="WO-2026-9999",
            status=CaseStatus.ACCEPTED,
            street="Oudegracht",
            house_number=1,
            postcode="3511AA",
            city="Utrecht",
            created_by=coordinator,
            referred_on=dt.date(2026, 1, 5),
        )
        Referral.objects.create(
            case=case,
            organisation=corporation,
            referrer=coordinator,
            contact_name="Bench",
            nuisance_forms=["noise", "hoarding"],
            submitted_at=timezone.now(),
        )
        for i in range(5):
            Person.objects.create(
                case=case,
                role=PersonRole.CAUSER if i == 0 else PersonRole.NEIGHBOUR,
                first_name="Pers",
                last_name=f"Oon {i}",
            )
        services.involvement_add(case=case, organisation=police, by=coordinator)
        for i in range(options["journal"]):
            JournalEntry.objects.create(
                case=case,
                kind=JournalKind.HOME_VISIT,
                occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=i),
                text=f"Notitie {i} " * 20,
                confidentiality=Confidentiality.ALL_INVOLVED
                if i % 3
                else Confidentiality.CASE_TEAM,
                author=coordinator,
                author_organisation=executing,
            )
        for i in range(10):
            Document.objects.create(
                case=case,
                title=f"Document {i}",
                file=f"cases/bench/{i}.pdf",
                original_name=f"{i}.pdf",
                content_type="application/pdf",
                size=1000,
                uploaded_by=coordinator,
                uploaded_by_organisation=executing,
                confidentiality=Confidentiality.ALL_INVOLVED,  # partners see them (the scenario)
            )
        with connection.cursor() as cursor:  # an already well-filled read log
            cursor.execute(
                """
                INSERT INTO privacy_readlogentry
                    (at, user_id, organisation_id, roles, case_id, person_ids, what,
                     path, session_hash, basis, motivation)
                SELECT now() - (n || ' seconds')::interval, %s, %s, ARRAY['coordinator'],
                       %s, ARRAY[]::bigint[], 'case_page', '/casussen/', 'x', 'coordinator', ''
                FROM generate_series(1, %s) AS n
                """,
                [coordinator.pk, executing.pk, case.pk, options["log_rows"]],
            )
            cursor.execute("ANALYZE privacy_readlogentry")
        return {"case": case, "coordinator": coordinator, "partner": partner}

    # --- Measure -------------------------------------------------------------------------

    def _measure(self, client: Client, url: str, options: dict[str, Any]) -> dict[str, Any]:
        def once() -> float:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return elapsed

        noop = mock.patch("audit.readlog.record", lambda *args, **kwargs: None)
        for _ in range(options["warmup"]):
            once()
            with noop:
                once()
        with_log: list[float] = []
        without_log: list[float] = []
        rng = random.Random(7)  # noqa: S311 - order of variants, not security
        for _ in range(options["iterations"]):
            order = [True, False]
            rng.shuffle(order)  # alternate in random order: drift hits both variants alike
            for logged in order:
                if logged:
                    with_log.append(once())
                else:
                    with noop:
                        without_log.append(once())
        median_with = statistics.median(with_log)
        median_without = statistics.median(without_log)

        def ms(values: list[float], q: float) -> float:
            return round(statistics.quantiles(values, n=100)[int(q) - 1] * 1000, 3)

        return {
            "median_ms_with_read_log": round(median_with * 1000, 3),
            "median_ms_without_read_log": round(median_without * 1000, 3),
            "p90_ms_with_read_log": ms(with_log, 90),
            "p90_ms_without_read_log": ms(without_log, 90),
            "overhead_ms": round((median_with - median_without) * 1000, 3),
            "overhead_percent": round((median_with / median_without - 1) * 100, 2),
        }

    def _run(self, options: dict[str, Any]) -> dict[str, Any]:
        from django.db import transaction
        from django.urls import reverse

        from audit.models import ReadLogEntry

        with transaction.atomic():
            seeded = self._seed(options)
        url = reverse("cases:detail", args=[seeded["case"].pk])
        results: dict[str, Any] = {
            "benchmark": "case page (GET /casussen/<pk>/) with and without the read log",
            "iterations_per_variant": options["iterations"],
            "warmup_per_variant": options["warmup"],
            "read_log_rows_before": options["log_rows"],
            "journal_entries": options["journal"],
            "documents": 10,
            "persons": 5,
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            },
        }
        for name in ("coordinator", "partner"):
            self.stdout.write(f"Measuring as {name} …")
            client = verified_client(seeded[name])
            results[name] = self._measure(client, url, options)
        # The insert alone, as the view does it (median of many).
        from django.test import RequestFactory

        from audit import readlog
        from partners import access

        request = RequestFactory().get(url, REMOTE_ADDR="127.0.0.1")
        request.user = seeded["partner"]
        access.roles_of(request.user)
        times = []
        for _ in range(options["iterations"]):
            start = time.perf_counter()
            readlog.record(
                request,
                case_id=seeded["case"].pk,
                what=readlog.ReadWhat.CASE_PAGE,
                basis=readlog.Basis(readlog.ReadBasis.INVOLVED_ORGANISATION),
                person_ids=[1, 2, 3, 4, 5],
            )
            times.append(time.perf_counter() - start)
        results["record_insert_median_ms"] = round(statistics.median(times) * 1000, 3)
        results["read_log_rows_after"] = ReadLogEntry.objects.count()
        return results
