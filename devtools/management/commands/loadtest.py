"""manage.py loadtest: concurrent signed-in users mixing the scenarios (issue 15), with locust.

The same production-shaped server as `manage.py benchmark_pages` (gunicorn with the
production settings, PostgreSQL and Valkey: embedded by default, or --database-url /
--broker-url), then locust headless on loopback (devtools/locustfile.py): --users simulated
users (default 50), all started at once, each with its own signed-in sessions and sign-in
account, waiting 1-3 s between requests, for --seconds (default 60), then it stops by itself.
The mix: every page scenario of benchmark_pages and the sign-in, weighted as a working day
might (case pages, lists and dashboards most; annual report and access log least).

    DATABASE_URL=… .venv/bin/python manage.py loadtest                   # 50 users, 60 s
    .venv/bin/python manage.py loadtest --database-url postgres://…/bench15

Results: benchmarks/results/load.json (per scenario requests, failures, p50/p95/max ms; the
failures, if any). Expected: zero failures; the command fails otherwise.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from devtools import benchserver
from devtools.benchmarking import data_counts, write_results
from devtools.devstack import ROOT

RESULTS = Path(settings.BASE_DIR) / "benchmarks" / "results" / "load.json"
WEIGHTS = {
    "case_page_short_journal": 6,
    "case_page_long_journal": 3,
    "case_list_coordinator": 4,
    "case_list_casemanager": 4,
    "case_list_representative_many": 3,
    "case_list_representative_few": 3,
    "case_list_deep_page": 1,
    "dashboard_coordinator": 3,
    "dashboard_casemanager": 4,
    "dashboard_representative": 3,
    "annual_report": 1,
    "access_log": 1,
    "sign_in": 1,
}
DEFAULT_WEIGHT = 2


class Command(BaseCommand):
    help = "Load test: N concurrent signed-in users mixing the scenarios (locust, loopback)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database-url", default="", help="A seeded database (kept).")
        parser.add_argument("--broker-url", default="", help="Default: embedded Valkey.")
        parser.add_argument("--cases", type=int, default=500, help="Seeded when none.")
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
        parser.add_argument("--wait", default="1,3", help="Seconds between requests: min,max.")
        parser.add_argument("--output", default=str(RESULTS))

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seconds"] > 900 or options["users"] > 500:
            raise CommandError("Bounded: at most 900 seconds and 500 users.")
        results = benchserver.run_against_server(
            options=options,
            # The data counts are read inside, while the benchmark's database is the default.
            run=lambda port: {**self._run(port, options), "data": data_counts()},
            say=self.say,
        )
        write_results(self, results, options["output"])
        if results["failures"]:
            raise CommandError(f"{results['failures']} requests failed; see {options['output']}")

    def _run(self, port: int, options: dict[str, Any]) -> dict[str, Any]:
        users = options["users"]
        officer, signers = benchserver.bench_accounts(sign_in_accounts=users)
        pages = benchserver.pages(officer)
        roles = {page.user.pk: page.user for page in pages}
        self.say(f"Signing in {users} users × {len(roles)} accounts (sessions) …")
        keys: list[str] = []
        plan_users: list[dict[str, Any]] = []
        for index in range(users):
            sessions: dict[str, str] = {}
            for pk, user in roles.items():
                sessions[str(pk)] = benchserver.signed_in_session(user)
                keys.append(sessions[str(pk)])
            email, key = signers[index]
            benchserver.allow_code_again(email)
            plan_users.append({"sessions": sessions, "email": email, "key": key})
        # Warm the workers up (URL resolvers, templates, first connections): every page twice.
        warm: dict[str, str] = plan_users[0]["sessions"]
        for page in pages * 2:
            cookie = {benchserver.SESSION_COOKIE: warm[str(page.user.pk)]}
            status = benchserver.get(port, page.path, cookies=cookie).status
            if status != 200:
                raise CommandError(f"{page.name} answered {status} when warming up")
        wait_min, wait_max = (float(x) for x in options["wait"].split(","))
        origin = f"https://127.0.0.1:{port}"
        scenarios_plan: list[dict[str, Any]] = [
            {
                "name": page.name,
                "path": page.path,
                "role": str(page.user.pk),
                "weight": WEIGHTS.get(page.name, DEFAULT_WEIGHT),
            }
            for page in pages
        ]
        scenarios_plan.append(
            {"name": "sign_in", "path": "", "role": "", "weight": WEIGHTS["sign_in"]}
        )
        plan: dict[str, Any] = {
            "host": f"http://127.0.0.1:{port}",
            "origin": origin,
            "cookie": benchserver.SESSION_COOKIE,
            "password": benchserver.SIGN_IN_PASSWORD,
            "wait_min": wait_min,
            "wait_max": wait_max,
            "users": plan_users,
            "scenarios": scenarios_plan,
        }
        work = benchserver.BENCH_VAR / "load"
        work.mkdir(parents=True, exist_ok=True)
        plan_path = work / "plan.json"
        plan_path.write_text(json.dumps(plan))
        plan_path.chmod(0o600)  # session keys
        prefix = work / "locust"
        command = [
            sys.executable, "-m", "locust", "-f", str(ROOT / "devtools" / "locustfile.py"),
            "--headless", "--users", str(users), "--spawn-rate", str(users),
            "--run-time", f"{options['seconds']}s", "--stop-timeout", "10",
            "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        self.say(f"locust: {users} users for {options['seconds']} s against {plan['host']} …")
        env = {**os.environ, "WOONOVERLAST_LOAD_PLAN": str(plan_path), "PYTHONPATH": str(ROOT)}
        done = subprocess.run(  # noqa: S603 - our own fixed command
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=options["seconds"] + 120,
            check=False,
        )
        benchserver.drop_sessions(keys)
        plan_path.unlink(missing_ok=True)
        stats_file = Path(f"{prefix}_stats.csv")
        if not stats_file.exists():
            raise CommandError(f"locust wrote no statistics:\n{done.stdout}\n{done.stderr}")
        scenarios: dict[str, Any] = {}
        total: dict[str, Any] = {}
        with stats_file.open() as handle:
            for row in csv.DictReader(handle):
                numbers = {
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": _number(row["50%"]),
                    "p95_ms": _number(row["95%"]),
                    "max_ms": _number(row["Max Response Time"]),
                    "requests_per_second": round(float(row["Requests/s"]), 2),
                }
                if row["Name"] == "Aggregated":
                    total = numbers
                else:
                    scenarios[row["Name"]] = numbers
        failures_file = Path(f"{prefix}_failures.csv")
        failures = []
        if failures_file.exists():
            with failures_file.open() as handle:
                failures = [
                    {"name": r["Name"], "error": r["Error"], "count": int(r["Occurrences"])}
                    for r in csv.DictReader(handle)
                ]
        return {
            "benchmark": "load (issue 15): concurrent signed-in users mixing the scenarios",
            "target": "zero errors; p95 reported per scenario",
            "users": users,
            "seconds": options["seconds"],
            "wait_seconds": [wait_min, wait_max],
            "locust_exit_code": done.returncode,
            "total": total,
            "failures": sum(f["count"] for f in failures) or total.get("failures", 0),
            "failure_details": failures,
            "scenarios": dict(sorted(scenarios.items())),
            "weights": {s["name"]: s["weight"] for s in scenarios_plan},
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                # locust shares the machine with gunicorn and PostgreSQL.
                "load_average_1m": round(os.getloadavg()[0], 1),
            },
            "measured_at": timezone.now().isoformat(timespec="seconds"),
        }


def _number(value: str) -> float | None:
    return None if value in ("", "N/A") else round(float(value), 1)
