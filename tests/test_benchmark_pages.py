"""`manage.py benchmark_pages` and `manage.py loadtest` end to end, small and short, so they
do not rot: gunicorn with the production settings on a copy of the migrated template, a
few seeded cases, every scenario measured and written, no errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from psycopg import sql

from devtools.devstack import ROOT, with_database

SCENARIOS = {
    "case_list_coordinator", "case_list_casemanager", "case_list_representative_many",
    "case_list_representative_few", "case_list_deep_page", "case_page_short_journal",
    "case_page_long_journal", "search_name", "search_address", "search_case_number",
    "dashboard_coordinator", "dashboard_casemanager", "dashboard_representative",
    "dashboard_referrer", "dashboard_manager", "dashboard_privacy_officer", "intake_list",
    "my_actions", "access_log", "annual_report", "sign_in", "agenda_pdf", "deadline_scan",
    "deadline_scan_rerun",
}  # fmt: skip


@pytest.fixture
def bench_database(django_db_blocker) -> Iterator[str]:
    """A database of its own (the server's connections must see committed data): a copy of
    the migrated template, or migrated here when there is none."""
    server = with_database(os.environ["DATABASE_URL"], "postgres")
    name = f"bench_pages_{uuid.uuid4().hex[:8]}"
    template = os.environ.get("WOONOVERLAST_TEST_TEMPLATE")
    with psycopg.connect(server, autocommit=True) as conn:
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        conn.execute(create)
    url = with_database(server, name)
    if not template:
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
    try:
        with django_db_blocker.unblock():
            yield url
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.mark.starts_the_run  # ~25 s on a busy machine; it ended the run on one worker
def test_both_commands_measure_every_scenario_without_errors(bench_database, tmp_path: Path):
    broker = settings.CELERY_BROKER_URL
    pages_json, load_json = tmp_path / "pages.json", tmp_path / "load.json"
    call_command(
        "benchmark_pages", database_url=bench_database, broker_url=broker, cases=40,
        iterations=1, task_iterations=1, workers=1, output=str(pages_json),
    )  # fmt: skip
    pages = json.loads(pages_json.read_text())
    assert set(pages["scenarios"]) == SCENARIOS
    assert pages["errors"] == 0
    assert pages["bare_page"]["p50_ms"] > 0
    for name, numbers in pages["scenarios"].items():
        assert numbers["p50_ms"] > 0 and numbers["p95_ms"] >= numbers["p50_ms"], name
        assert numbers["queries"] > 0 and numbers["requests_per_second"] > 0, name
        assert numbers["p50_x_bare"] > 0 and numbers["errors"] == 0, name

    call_command(
        "loadtest", database_url=bench_database, broker_url=broker, users=5, seconds=5,
        workers=1, wait="0.2,0.5", output=str(load_json),
    )  # fmt: skip
    load = json.loads(load_json.read_text())
    assert load["failures"] == 0 and load["total"]["failures"] == 0
    assert load["total"]["requests"] >= 20
    measured = {name for name, n in load["scenarios"].items() if n["requests"]}
    assert len(measured) >= 8, measured
    assert all(n["p95_ms"] is not None for n in load["scenarios"].values())
