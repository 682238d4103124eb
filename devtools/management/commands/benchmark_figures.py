"""manage.py benchmark_figures: the annual report on the benchmark data set (issue 14).

Times, for one year (the last full year) and for all years (the ten years of the data set):
`figures.report.build_report` alone, the report page and the CSV download, each through
Django's test client with the real middleware as a signed-in manager, DEBUG off; and in the
same run, interleaved, a bare signed-in page (the accessibility statement: middleware,
session, sign-in check and the base template, no data), so the numbers can be read as ratios
on a noisy, shared machine. Counts the queries of each. Goal: one year under 1 s.

    # on a seeded database (see seed_bench), kept as it is:
    .venv/bin/python manage.py benchmark_figures \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_f14
    # or a throwaway database seeded here with --cases N (default 2,000), dropped after:
    .venv/bin/python manage.py benchmark_figures --cases 2000

Results: benchmarks/results/figures.json (and printed).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from devtools import benchdata
from devtools.benchmarking import (
    benchmark_database,
    data_counts,
    verified_client,
    write_results,
)
from figures.report import build_report
from figures.selectors import Scope
from partners.choices import Role
from partners.models import User

RESULTS = Path(settings.BASE_DIR) / "benchmarks" / "results" / "figures.json"


class Command(BaseCommand):
    help = "Time the annual report (one year, all years) against a bare signed-in page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database-url", default="", help="A seeded database (kept).")
        parser.add_argument("--cases", type=int, default=2000, help="Seed a throwaway one.")
        parser.add_argument("--repeat", type=int, default=5, help="Timed rounds.")
        parser.add_argument("--bare-repeat", type=int, default=20, help="Bare pages a round.")
        parser.add_argument("--output", default=str(RESULTS))

    def handle(self, *args: Any, **options: Any) -> None:
        with (
            benchmark_database(
                self, prefix="benchmark_figures", database_url=options["database_url"]
            ),
            override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False),
        ):
            if not Case.objects.exists():
                self.stdout.write(f"Seeding {options['cases']} cases …")
                benchdata.seed(cases=options["cases"], report=self.stdout.write)
            results = self._run(options)
        write_results(self, results, options["output"])

    def _run(self, options: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        year = today.year - 1
        first = Case.objects.exclude(referred_on=None).order_by("referred_on").first()
        start = first.referred_on if first and first.referred_on else today
        scopes = {
            "one_year": Scope(dt.date(year, 1, 1), dt.date(year, 12, 31)),
            "all_years": Scope(dt.date(start.year, 1, 1), today),
        }
        manager = User.objects.filter(groups__name=Role.MANAGER.value).order_by("pk").first()
        assert manager is not None, "the seed makes a manager"
        client = verified_client(manager)
        report_url = reverse("figures:report")
        csv_url = reverse("figures:report_csv")
        query = {
            "one_year": {"jaar": str(year)},
            "all_years": {"van": scopes["all_years"].start.isoformat(), "tot": today.isoformat()},
        }
        bare_url = reverse("accessibility")

        def get(url: str, params: dict[str, str] | None = None) -> Callable[[], Any]:
            def call() -> Any:
                response = client.get(url, params or {})
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
                return response

            return call

        scenarios: dict[str, Callable[[], Any]] = {}
        for name, scope in scopes.items():
            scenarios[f"build_report_{name}"] = partial(build_report, scope, today=today)
            scenarios[f"page_{name}"] = get(report_url, query[name])
            scenarios[f"csv_{name}"] = get(csv_url, query[name])
        bare = get(bare_url)

        # Warm up (first queries fill the caches) and count queries once each.
        queries: dict[str, int] = {}
        for name, call in [("bare_page", bare), *scenarios.items()]:
            call()
            with CaptureQueriesContext(connection) as captured:
                call()
            queries[name] = len(captured)
        times: dict[str, list[float]] = {name: [] for name in scenarios}
        bare_times: list[float] = []
        for round_ in range(options["repeat"]):
            self.stdout.write(f"Round {round_ + 1} of {options['repeat']} …")
            for name, call in scenarios.items():
                for _ in range(options["bare_repeat"] // len(scenarios) + 1):
                    started = time.perf_counter()
                    bare()
                    bare_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - started)
        bare_p50 = statistics.median(bare_times)

        def ms(value: float) -> float:
            return round(value * 1000, 1)

        measured = {
            name: {
                "p50_ms": ms(statistics.median(values)),
                "min_ms": ms(min(values)),
                "max_ms": ms(max(values)),
                "queries": queries[name],
                "times_bare_page": round(statistics.median(values) / bare_p50, 1),
            }
            for name, values in times.items()
        }
        return {
            "benchmark": "annual report (figures): build_report, page and CSV",
            "goal": "one year under 1 s (issue 14); queries constant in the data",
            "database": connection.settings_dict["NAME"],
            "data": {
                **data_counts(),
            },
            "one_year": year,
            "all_years": f"{scopes['all_years'].start} to {today}",
            "rounds": options["repeat"],
            "bare_page": {
                "url": bare_url,
                "p50_ms": ms(bare_p50),
                "requests": len(bare_times),
                "queries": queries["bare_page"],
            },
            "measured": measured,
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                # Other work on the shared machine inflates the times: read them with this.
                "load_average_1m": round(os.getloadavg()[0], 1),
            },
        }
