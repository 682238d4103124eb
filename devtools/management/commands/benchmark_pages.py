"""manage.py benchmark_pages: every scenario of issue 15 against a production-shaped server.

gunicorn with the production settings (devtools/bench_settings.py: prod plus a middleware
that reports the queries of each request in a header), PostgreSQL and Valkey: the embedded
ones of the dev stack by default (data in var/bench/, 500 cases seeded on the first run), or
an existing seeded database with --database-url (made with `manage.py seed_bench --cases N`;
only sessions, a few helper accounts, their TOTP devices and the read-log rows that the
pages write are added to it).

The scenarios, interleaved in a shuffled order each round, each right after a request for
the bare signed-in page (the accessibility statement) so the results compare as ratios on a
noisy machine: case list (coordinator, busiest casemanager, representative with the most and
the fewest cases, the last page), case page (short and long journal), search by name,
address and case number, dashboard per role, intake list, "my actions", access log, annual
report, and sign-in (form, password, code) over HTTP; the agenda PDF of a case meeting
(30 cases) and the deadline scan (catch-up, and a rerun with nothing new) are the worker's
tasks and are timed in this process, inside a transaction that is rolled back.

    DATABASE_URL=… .venv/bin/python manage.py benchmark_pages            # embedded, 500 cases
    .venv/bin/python manage.py benchmark_pages --database-url postgres://…/bench15

Results: benchmarks/results/pages.json (per scenario p50/p95 ms, queries per request,
requests per second of one client, and the ratio to the bare page of the same run).
"""

from __future__ import annotations

import logging
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devtools import benchserver
from devtools.benchmarking import data_counts, write_results

RESULTS = Path(settings.BASE_DIR) / "benchmarks" / "results" / "pages.json"
AGENDA_CASES = 30


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(samples: list[tuple[float, int]], errors: int) -> dict[str, Any]:
    """p50/p95 in ms, median queries, requests per second (one client, back to back)."""
    times = [ms for ms, _ in samples]
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": round(statistics.median(q for _, q in samples)),
        "requests_per_second": round(len(times) / (sum(times) / 1000), 2),
        "requests": len(times),
        "errors": errors,
    }


class Command(BaseCommand):
    help = "Every page scenario of issue 15 against gunicorn with the production settings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database-url", default="", help="A seeded database (kept).")
        parser.add_argument("--broker-url", default="", help="Default: embedded Valkey.")
        parser.add_argument(
            "--cases", type=int, default=500, help="Seeded when the database has no cases."
        )
        parser.add_argument("--iterations", type=int, default=20, help="Rounds of every page.")
        parser.add_argument(
            "--task-iterations", type=int, default=3, help="Rounds of the agenda PDF and scan."
        )
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
        parser.add_argument("--output", default=str(RESULTS))

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        for noisy in ("weasyprint", "fontTools", "deadlines.services", "privacy.services"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        results = benchserver.run_against_server(
            options=options, run=lambda port: self._run(port, options), say=self.say
        )
        write_results(self, results, options["output"])
        if results["errors"]:
            raise CommandError(f"{results['errors']} requests failed; see {options['output']}")

    # --- the run ----------------------------------------------------------------------------

    def _run(self, port: int, options: dict[str, Any]) -> dict[str, Any]:
        officer, signers = benchserver.bench_accounts(sign_in_accounts=1)
        page_list = benchserver.pages(officer)
        sessions: dict[int, str] = {}
        for page in page_list:
            if page.user.pk not in sessions:
                sessions[page.user.pk] = benchserver.signed_in_session(page.user)
        bare_cookie = {benchserver.SESSION_COOKIE: sessions[page_list[0].user.pk]}
        email, key = signers[0]
        errors: dict[str, int] = {}
        samples: dict[str, list[tuple[float, int]]] = {}
        bare: list[tuple[float, int]] = []
        bare_errors = 0

        def page_call(page: benchserver.Page) -> Callable[[], tuple[bool, float, int]]:
            cookie = {benchserver.SESSION_COOKIE: sessions[page.user.pk]}

            def call() -> tuple[bool, float, int]:
                answer = benchserver.get(port, page.path, cookies=cookie)
                return answer.status == 200, answer.ms, answer.queries

            return call

        def sign_in() -> tuple[bool, float, int]:
            benchserver.allow_code_again(email)
            return benchserver.sign_in(port, email, benchserver.SIGN_IN_PASSWORD, key)

        calls: dict[str, Callable[[], tuple[bool, float, int]]] = {
            page.name: page_call(page) for page in page_list
        }
        calls["sign_in"] = sign_in
        tasks = self._tasks()

        self.say(f"Warming up {len(calls)} HTTP scenarios and {len(tasks)} tasks …")
        for task in tasks.values():
            task()  # WeasyPrint loads its fonts on the first document
        for name, call in calls.items():
            ok, ms, _ = call()
            if not ok:
                failed = next((p for p in page_list if p.name == name), None)
                status = (
                    benchserver.get(
                        port,
                        failed.path,
                        cookies={benchserver.SESSION_COOKIE: sessions[failed.user.pk]},
                    ).status
                    if failed
                    else "no redirect to /"
                )
                raise CommandError(f"{name} answered {status} when warming up")
        for round_ in range(options["iterations"]):
            order = list(calls)
            random.Random(round_).shuffle(order)  # noqa: S311 - an order, not a secret
            for name in order:
                answer = benchserver.get(port, benchserver.BARE_PATH, cookies=bare_cookie)
                bare.append((answer.ms, answer.queries))
                bare_errors += answer.status != 200
                ok, ms, queries = calls[name]()
                samples.setdefault(name, []).append((ms, queries))
                errors[name] = errors.get(name, 0) + (not ok)
            self.say(f"Round {round_ + 1} of {options['iterations']} done")
        task_samples: dict[str, list[tuple[float, int]]] = {}
        task_notes: dict[str, str] = {}
        for round_ in range(options["task_iterations"]):
            for task in tasks.values():
                answer = benchserver.get(port, benchserver.BARE_PATH, cookies=bare_cookie)
                bare.append((answer.ms, answer.queries))
                for measured, (ms, queries, note) in task().items():
                    task_samples.setdefault(measured, []).append((ms, queries))
                    task_notes[measured] = note
            self.say(f"Task round {round_ + 1} of {options['task_iterations']} done")
        benchserver.drop_sessions(list(sessions.values()))

        bare_summary = summarise(bare, bare_errors)
        scenarios: dict[str, Any] = {}
        notes = {page.name: page for page in page_list}
        ordered = [*((name, samples[name]) for name in calls), *task_samples.items()]
        for name, values in ordered:
            summary = summarise(values, errors.get(name, 0))
            summary["p50_x_bare"] = round(summary["p50_ms"] / bare_summary["p50_ms"], 1)
            summary["p95_x_bare"] = round(summary["p95_ms"] / bare_summary["p95_ms"], 1)
            if name in notes:
                page = notes[name]
                summary["how"] = f"GET {page.path.split('?')[0]} as {_roles(page.user)}"
                summary["note"] = page.note
            elif name == "sign_in":
                summary["how"] = "GET + 2 POSTs of /account/login/ (password, TOTP code)"
            else:
                summary["how"] = "worker task, timed in process (rolled back)"
                summary["note"] = task_notes[name]
            scenarios[name] = summary
        return {
            "benchmark": "pages (issue 15): every scenario against gunicorn + production settings",
            "targets": "p95 within 5x the bare page and under 150 ms; queries constant in N",
            "data": data_counts(),
            "iterations": options["iterations"],
            "task_iterations": options["task_iterations"],
            "bare_page": {"path": benchserver.BARE_PATH, **bare_summary},
            "scenarios": scenarios,
            "errors": bare_errors + sum(errors.values()),
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                # Other work on the shared machine inflates the times: read them with this.
                "load_average_1m": round(os.getloadavg()[0], 1),
            },
            "measured_at": timezone.now().isoformat(timespec="seconds"),
        }

    # --- the worker's tasks, in process --------------------------------------------------------

    def _tasks(self) -> dict[str, Callable[[], dict[str, tuple[float, int, str]]]]:
        from cases.choices import CaseStatus
        from cases.models import Case
        from deadlines import services as deadline_services
        from meetings import services as meeting_services
        from meetings.choices import ItemSource, MeetingKind, MeetingStatus
        from meetings.models import AgendaItem, Meeting
        from meetings.pdf import document_context, render_pdf
        from partners.choices import Role

        coordinator = benchserver._group_user(Role.COORDINATOR.value)
        OPEN = [CaseStatus.INVESTIGATION, CaseStatus.PLAN_AGREED, CaseStatus.EXECUTION]  # noqa: N806
        today = timezone.localdate()

        def timed(call: Callable[[], Any]) -> tuple[float, int, Any]:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                value = call()
                ms = (time.perf_counter() - started) * 1000
            return ms, len(captured), value

        def agenda_pdf() -> dict[str, tuple[float, int, str]]:
            with transaction.atomic():
                meeting = (
                    Meeting.objects.filter(
                        kind=MeetingKind.CASE,
                        status=MeetingStatus.PLANNED,
                        date__gte=today,
                        agenda_published_at=None,
                    )
                    .order_by("date", "pk")
                    .first()
                )
                if meeting is None:
                    raise CommandError("No planned case meeting to put an agenda on.")
                meeting_services.agenda_propose(meeting=meeting, by=coordinator)
                extra = AgendaItem.objects.filter(meeting=meeting).order_by("position")[
                    AGENDA_CASES:
                ]
                AgendaItem.objects.filter(pk__in=[item.pk for item in extra]).delete()
                # Fewer proposals than 30: other open cases (the network's first) as items
                # of their own, so the document always shows 30 cases.
                on_agenda = AgendaItem.objects.filter(meeting=meeting).values("case")
                wanted = AGENDA_CASES - on_agenda.count()
                candidates = Case.objects.filter(status__in=OPEN).exclude(pk__in=on_agenda)
                more = [
                    *candidates.filter(network=meeting.network).order_by("-pk")[:wanted],
                    *candidates.exclude(network=meeting.network).order_by("-pk")[:wanted],
                ][: max(wanted, 0)]
                AgendaItem.objects.bulk_create(
                    AgendaItem(
                        meeting=meeting,
                        position=1000 + index,
                        source=ItemSource.PLAN,
                        case=case,
                        phase=case.status,
                        question="Wat is de stand van zaken?",
                    )
                    for index, case in enumerate(more)
                )
                items = AgendaItem.objects.filter(meeting=meeting).count()
                ms, queries, pdf = timed(
                    lambda: render_pdf(
                        document_context(meeting=meeting, kind="agenda", organisation=None)
                    )
                )
                transaction.set_rollback(True)
            return {"agenda_pdf": (ms, queries, f"{items} cases, {len(pdf) // 1024} KiB")}

        def deadline_scan() -> dict[str, tuple[float, int, str]]:
            now = timezone.now()
            with transaction.atomic():
                ms, queries, first = timed(lambda: deadline_services.deadlines_scan(now=now))
                ms2, queries2, _ = timed(lambda: deadline_services.deadlines_scan(now=now))
                transaction.set_rollback(True)
            note = f"{first.as_dict()}"
            return {
                "deadline_scan": (ms, queries, f"catch-up: {note}"),
                "deadline_scan_rerun": (ms2, queries2, "nothing new"),
            }

        return {"agenda_pdf": agenda_pdf, "deadline_scan": deadline_scan}


def _roles(user: Any) -> str:
    return "+".join(sorted(user.groups.values_list("name", flat=True))) or "?"
