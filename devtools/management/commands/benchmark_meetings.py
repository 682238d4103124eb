"""manage.py benchmark_meetings: time and peak memory of the agenda and minutes PDFs.

Seeds one case meeting with --cases cases (default 30) on its agenda, each with a summary,
a decision and an action, then renders the agenda and the minutes (full version, and one
organisation's version) as in the task. Goal (issue 13): under 2 s and 500 MB each.

Everything happens in a throwaway database (see devtools/benchmarking.py); results
are written to benchmarks/results/meetings.json (and printed). Self-contained so it can
move with the other benchmarks.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import time
import tracemalloc
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from devtools.benchmarking import benchmark_database, write_results

RESULTS = Path(settings.BASE_DIR) / "benchmarks" / "results" / "meetings.json"


class Command(BaseCommand):
    help = "Render a case meeting's agenda and minutes as PDF; write time and peak memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=30)
        parser.add_argument("--repeat", type=int, default=3, help="Timed renders per document.")
        parser.add_argument("--database-url", default="")
        parser.add_argument("--output", default=str(RESULTS))

    def handle(self, *args: Any, **options: Any) -> None:
        with benchmark_database(
            self, prefix="benchmark_meetings", database_url=options["database_url"]
        ):
            results = self._run(options)
        write_results(self, results, options["output"])

    def _seed(self, count: int) -> tuple[Any, Any]:
        from django.contrib.auth.models import Group

        from cases.choices import CaseStatus, PersonRole
        from cases.models import Case, Person
        from cases.services import involvement_add
        from meetings import services
        from meetings.choices import MeetingKind
        from partners.choices import OrganisationKind, Role
        from partners.models import Network, Organisation, User

        executing = Organisation.objects.filter(kind=OrganisationKind.EXECUTING).first()
        corporation = Organisation.objects.filter(kind=OrganisationKind.CORPORATION).first()
        assert corporation is not None, "the seed migrations make the corporations"
        coordinator = User.objects.create_user(
            email="bench-coordinator@example.org", organisation=executing, first_name="Bench"
        )
        coordinator.groups.add(Group.objects.get_or_create(name=Role.COORDINATOR.value)[0])
        network = Network.objects.create(name="Benchmark-netwerk")
        statuses = [CaseStatus.INTAKE, CaseStatus.INVESTIGATION, CaseStatus.FINAL_EVALUATION]
        for index in range(count):
            case = Case.objects.create(
                number=f"WO-2027-{index + 1:04d}",
                status=statuses[index % len(statuses)],
                network=network,
                street=f"Benchmarkstraat {index}",
                house_number=index + 1,
                created_by=coordinator,
            )
            Person.objects.create(
                case=case, role=PersonRole.CAUSER, first_name="Jan", last_name=f"Bank {index}"
            )
            # Through the service, so the grants that decide who sees an item are written.
            involvement_add(case=case, organisation=corporation, by=coordinator)
        meeting = services.meeting_plan(
            kind=MeetingKind.CASE, network=network, date=dt.date(2027, 1, 12),
            start_time=dt.time(10), location="Wijkbureau", chair=coordinator, by=coordinator,
        )  # fmt: skip
        for item in services.agenda_propose(meeting=meeting, by=coordinator):
            services.agenda_item_update(
                item=item, question="Wat is de stand van zaken? " * 5, by=coordinator
            )
            services.minutes_item_record(item=item, summary="Besproken. " * 30, by=coordinator)
            services.decision_add(
                item=item, text="Afspraak gemaakt.", by=coordinator,
                actions=[services.ActionSpec(
                    organisation=corporation, due_on=dt.date(2027, 2, 1),
                    description="Huisbezoek afleggen",
                )],
            )  # fmt: skip
        services.attendance_record(
            meeting=meeting, organisation=corporation, present=True, by=coordinator
        )
        return meeting, corporation

    def _measure(self, meeting: Any, kind: str, organisation: Any, repeat: int) -> dict[str, Any]:
        from meetings.pdf import document_context, render_pdf

        # Time without tracing (tracemalloc slows WeasyPrint several times), then one traced
        # render for the peak of Python allocations.
        timings = []
        size = 0
        for _ in range(repeat):
            started = time.perf_counter()
            pdf = render_pdf(
                document_context(meeting=meeting, kind=kind, organisation=organisation)
            )
            timings.append(time.perf_counter() - started)
            size = len(pdf)
        tracemalloc.start()
        render_pdf(document_context(meeting=meeting, kind=kind, organisation=organisation))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {
            "seconds_best": round(min(timings), 3),
            "seconds_worst": round(max(timings), 3),
            "python_peak_mb": round(peak / 1e6, 1),
            "pdf_bytes": size,
        }

    def _run(self, options: dict[str, Any]) -> dict[str, Any]:
        meeting, corporation = self._seed(options["cases"])
        self.stdout.write(f"Seeded {options['cases']} cases; rendering …")
        repeat = options["repeat"]
        documents = {
            "agenda_full": self._measure(meeting, "agenda", None, repeat),
            "minutes_full": self._measure(meeting, "minutes", None, repeat),
            "agenda_one_organisation": self._measure(meeting, "agenda", corporation, repeat),
            "minutes_one_organisation": self._measure(meeting, "minutes", corporation, repeat),
        }
        return {
            "benchmark": "meetings",
            "cases": options["cases"],
            "documents": documents,
            # Peak resident memory of the whole process (seed, Django, WeasyPrint), in MB.
            "process_peak_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
            ),
            "goal": "under 2 s and 500 MB per document",
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                # Other work on the machine inflates the times: read them with this.
                "load_average_1m": round(os.getloadavg()[0], 1),
            },
        }
