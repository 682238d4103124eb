"""manage.py profile_pages: the pages of issue 15 on a seeded benchmark database.

A quick profile for development, not the load benchmark: each page of the issue's table
(case search by name, address and case number; the dashboard per role; the case list for a
coordinator, a casemanager and representatives of many and of few cases, also a deep page;
the case page with the longest journal; the intake list; "my actions"; the access log of
the user with the most reads) through Django's test client with the real middleware, signed
in with a verified second factor, DEBUG off. Rounds interleave every page with a bare
signed-in page (the accessibility statement), so results read as ratios on a shared,
noisy machine. Queries per request are counted in a separate, untimed request.

    DJANGO_SETTINGS_MODULE=woonoverlast.settings.dev DEBUG=false \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench15 \\
        .venv/bin/python manage.py profile_pages --runs 10 --label after

Uses the configured database as it is (seeded by `seed_bench`); it adds one privacy
officer account (`privacy@bench.example.org`), tops the longest journal up to 300 entries
(once) and, as every page does, writes read-log rows.
Results: benchmarks/results/pages-profile.json (one entry per --label, kept across runs).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import ReadLogEntry
from cases.models import Action, Case, CaseGroupObjectPermission, JournalEntry, Person
from devtools.benchdata import BENCH_DOMAIN
from devtools.benchmarking import data_counts, verified_client
from partners import access as partners_access
from partners.choices import Role
from partners.models import User

RESULTS = Path(settings.BASE_DIR) / "benchmarks" / "results" / "pages-profile.json"
LONG_JOURNAL = 300


def _quantile(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method: with 10 values p95 lies between the two
    slowest)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


class Command(BaseCommand):
    help = "Profile the pages of issue 15 (p50/p95, queries, ratio to a bare signed-in page)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=10, help="Timed requests per page.")
        parser.add_argument("--only", default="", help="Comma-separated page names.")
        parser.add_argument("--label", default="current", help="Key of this run in the file.")
        parser.add_argument("--output", default=str(RESULTS))
        parser.add_argument("--list", action="store_true", help="Show the pages and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Case.objects.exists():
            raise CommandError("No cases: seed this database first (manage.py seed_bench).")
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
            pages = self._pages()
            if options["list"]:
                for name, (_, url, params) in pages.items():
                    self.stdout.write(f"{name}: {url} {params}")
                return
            if options["only"]:
                wanted = set(options["only"].split(","))
                unknown = wanted - set(pages)
                if unknown:
                    raise CommandError(f"Unknown pages: {', '.join(sorted(unknown))}")
                pages = {
                    name: page
                    for name, page in pages.items()
                    if name in wanted or name == "bare_page"
                }
            results = self._run(pages, options)
        path = Path(options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        stored = json.loads(path.read_text()) if path.exists() else {}
        previous = stored.get(options["label"], {}).get("pages", {})
        if options["only"]:  # a partial run updates its pages, keeps the others
            results["pages"] = {**previous, **results["pages"]}
        stored[options["label"]] = results
        path.write_text(json.dumps(stored, indent=2) + "\n")
        self.stdout.write(self.style.SUCCESS(f"Written to {path} ({options['label']})"))

    # --- Who and what ------------------------------------------------------------------------

    def _pages(self) -> dict[str, tuple[Client, str, dict[str, str]]]:
        def bench(email: str) -> User:
            return User.objects.get(email=f"{email}@{BENCH_DOMAIN}")

        coordinator = bench("coordinator1")
        casemanager = (
            User.objects.filter(email__endswith=BENCH_DOMAIN, groups__name=Role.CASEMANAGER.value)
            .annotate(n=Count("managed_cases"))
            .order_by("-n", "pk")
            .first()
        )
        # Representatives: of the organisation with the most cases, and of one with about
        # fifty (the "representative of 50 cases").
        grants = list(
            CaseGroupObjectPermission.objects.values("group__name")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )
        organisation_of = {
            row["group__name"]: int(row["group__name"].split(":")[1])
            for row in grants
            if row["group__name"].startswith("organisation:")
        }
        many = grants[0]
        few = min(grants, key=lambda row: abs(row["n"] - 50))
        representatives = {
            key: User.objects.filter(
                organisation_id=organisation_of[row["group__name"]],
                groups__name=Role.PARTNER_REPRESENTATIVE.value,
            )
            .order_by("pk")
            .first()
            for key, row in (("many", many), ("few", few))
        }
        self.describe = {
            "casemanager_cases": Case.objects.filter(casemanager=casemanager).count(),
            "representative_many_grants": many["n"],
            "representative_few_grants": few["n"],
        }
        actions_by = (
            Action.objects.filter(status="open")
            .values("organisation_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        actor = (
            User.objects.filter(
                organisation_id=actions_by["organisation_id"],
                groups__name=Role.PARTNER_REPRESENTATIVE.value,
            )
            .order_by("pk")
            .first()
            if actions_by
            else None
        )
        officer, created = User.objects.get_or_create(
            email=f"privacy@{BENCH_DOMAIN}",
            defaults={
                "first_name": "Bench",
                "last_name": "privacy",
                "organisation": coordinator.organisation,
            },
        )
        if created:
            officer.set_unusable_password()
            officer.save(update_fields=["password"])
            officer.groups.add(Group.objects.get(name=Role.PRIVACY_OFFICER.value))
            partners_access.sync_user_organisation_group(officer)
        reader = (
            ReadLogEntry.objects.values("user_id").annotate(n=Count("pk")).order_by("-n").first()
        )
        long_case = (
            JournalEntry.objects.values("case_id").annotate(n=Count("pk")).order_by("-n").first()
        )
        if long_case and long_case["n"] < LONG_JOURNAL:
            # The "case page with 300 journal entries": the data set's longest
            # journal is shorter, so it is topped up once (copies of its own entries).
            entries = list(JournalEntry.objects.filter(case_id=long_case["case_id"]))
            JournalEntry.objects.bulk_create(
                JournalEntry(
                    case_id=entry.case_id,
                    kind=entry.kind,
                    occurred_on=entry.occurred_on,
                    participants=entry.participants,
                    text=entry.text,
                    confidentiality=entry.confidentiality,
                    author_id=entry.author_id,
                    author_organisation_id=entry.author_organisation_id,
                    lawful_basis_id=entry.lawful_basis_id,
                )
                for entry in (
                    entries[i % len(entries)] for i in range(LONG_JOURNAL - long_case["n"])
                )
            )
            long_case["n"] = LONG_JOURNAL
        self.describe["reads_of_access_log_user"] = reader["n"] if reader else 0
        self.describe["journal_entries_of_long_case"] = long_case["n"] if long_case else 0
        self.describe["open_actions_of_organisation"] = actions_by["n"] if actions_by else 0
        person = (
            Person.objects.filter(erased_at=None).exclude(first_name="").order_by("-pk").first()
        )
        address = (
            Case.objects.filter(anonymised_at=None)
            .exclude(street="")
            .exclude(number=None)
            .order_by("-referred_on")
            .first()
        )
        assert person and address and casemanager and long_case

        clients: dict[int, Client] = {}

        def as_(user: User | None) -> Client:
            assert user is not None
            if user.pk not in clients:
                clients[user.pk] = verified_client(user)
            return clients[user.pk]

        c = as_(coordinator)
        cases_url = reverse("cases:list")
        last_page = max(1, Case.objects.count() // 25 // 2)
        pages: dict[str, tuple[Client, str, dict[str, str]]] = {
            "bare_page": (c, reverse("accessibility"), {}),
            "search_surname": (c, cases_url, {"q": person.last_name}),
            "search_full_name": (c, cases_url, {"q": f"{person.first_name} {person.last_name}"}),
            "search_address": (c, cases_url, {"q": f"{address.street} {address.house_number}"}),
            "search_number": (c, cases_url, {"q": address.number or ""}),
            "dashboard_coordinator": (c, reverse("dashboard"), {}),
            "dashboard_casemanager": (as_(casemanager), reverse("dashboard"), {}),
            "dashboard_representative_many": (as_(representatives["many"]), "/", {}),
            "dashboard_representative_few": (as_(representatives["few"]), "/", {}),
            "case_list_coordinator": (c, cases_url, {}),
            "case_list_coordinator_deep": (c, cases_url, {"page": str(last_page)}),
            "case_list_casemanager": (as_(casemanager), cases_url, {}),
            "case_list_representative_many": (as_(representatives["many"]), cases_url, {}),
            "case_list_representative_few": (as_(representatives["few"]), cases_url, {}),
            "case_page_long_journal": (
                c,
                reverse("cases:detail", args=[long_case["case_id"]]),
                {},
            ),
            "intake_list": (c, reverse("cases:intake_list"), {}),
            "access_log_user": (
                as_(officer),
                reverse("privacy_audit:by_user", args=[reader["user_id"]]) if reader else "/",
                {},
            ),
        }
        if actor is not None:
            pages["my_actions"] = (as_(actor), reverse("cases:my_actions"), {})
        # The referrer whose organisation follows the most referrals (a corporation).
        referrer = (
            User.objects.filter(groups__name=Role.REFERRER.value, is_active=True)
            .annotate(n=Count("organisation__referrals"))
            .order_by("-n", "pk")
            .first()
        )
        if referrer is not None:
            pages["dashboard_referrer"] = (as_(referrer), reverse("dashboard"), {})
        self.describe["deep_page"] = last_page
        self.describe["search_surname"] = person.last_name
        self.describe["surname_persons"] = Person.objects.filter(
            Q(last_name=person.last_name)
        ).count()
        return pages

    # --- Measure -----------------------------------------------------------------------------

    def _run(
        self, pages: dict[str, tuple[Client, str, dict[str, str]]], options: dict[str, Any]
    ) -> dict[str, Any]:
        bare_client, bare_url, _ = pages.pop("bare_page")

        def get(client: Client, url: str, params: dict[str, str]) -> Callable[[], float]:
            def call() -> float:
                started = time.perf_counter()
                response = client.get(url, params)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise CommandError(f"{url} {params} answered {response.status_code}")
                return elapsed

            return call

        bare = get(bare_client, bare_url, {})
        calls = {name: get(*page) for name, page in pages.items()}
        queries: dict[str, int] = {}
        for name, call in [("bare_page", bare), *calls.items()]:
            call()  # warm up
            with CaptureQueriesContext(connection) as captured:
                call()
            queries[name] = len(captured)
        times: dict[str, list[float]] = {name: [] for name in calls}
        bare_times: list[float] = []
        for round_ in range(options["runs"]):
            self.stdout.write(f"Round {round_ + 1} of {options['runs']} …")
            for name, call in calls.items():
                bare_times.append(bare())
                times[name].append(call())
        bare_p50 = statistics.median(bare_times)

        def ms(value: float) -> float:
            return round(value * 1000, 1)

        measured = {
            name: {
                "url": pages[name][1],
                "params": pages[name][2],
                "p50_ms": ms(statistics.median(values)),
                "p95_ms": ms(_quantile(values, 95)),
                "min_ms": ms(min(values)),
                "queries": queries[name],
                "p50_x_bare": round(statistics.median(values) / bare_p50, 1),
                "p95_x_bare": round(_quantile(values, 95) / bare_p50, 1),
            }
            for name, values in times.items()
        }
        for name, row in measured.items():
            self.stdout.write(
                f"{name:32} p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms  "
                f"{row['p50_x_bare']:5.1f}x bare  {row['queries']:3} queries"
            )
        self.stdout.write(f"bare page p50 {ms(bare_p50)} ms, {queries['bare_page']} queries")
        return {
            "benchmark": "pages of issue 15 through the test client (profile_pages)",
            "database": connection.settings_dict["NAME"],
            "data": {
                **data_counts(),
                **self.describe,
            },
            "runs": options["runs"],
            "bare_page": {
                "url": bare_url,
                "p50_ms": ms(bare_p50),
                "p95_ms": ms(_quantile(bare_times, 95)),
                "requests": len(bare_times),
                "queries": queries["bare_page"],
            },
            "pages": measured,
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_average_1m": round(os.getloadavg()[0], 1),
            },
        }
