"""Structured logs (woonoverlast/logs.py): the request id, the JSON shape of the request
line, no personal data in any line, and the request id in a Celery task's lines."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from kombu import Connection

from tests.privacy.full_case import make_full_case, make_team
from woonoverlast import logs
from woonoverlast.celery import ping

SURNAME = "Vlinderhoek"
FIRST_NAME = "Gerarda"
BORN = dt.date(1961, 5, 23)


@pytest.fixture
def log_lines():
    """Every record at INFO and above, as production writes it (JSON, request-id filter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestIdFilter())
    root = logging.getLogger()
    loggers = (root, logs.request_logger, logs.task_logger)
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)  # setLevel, not .level: it clears logging's cache
    root.addHandler(handler)

    def lines() -> list[dict]:
        return [json.loads(raw) for raw in stream.getvalue().splitlines()]

    lines.raw = stream.getvalue  # type: ignore[attr-defined]
    yield lines
    root.removeHandler(handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_a_request_id_is_made_and_returned(client):
    response = client.get("/health/live")
    assert len(response["X-Request-ID"]) == 32
    assert client.get("/health/live")["X-Request-ID"] != response["X-Request-ID"]


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("edge-7f3a.1_b", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("bad id", False),
        ('x"}{"level":"ERROR', False),
        ("", False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_sane(client, incoming, kept):
    response = client.get("/health/live", HTTP_X_REQUEST_ID=incoming)
    if kept:
        assert response["X-Request-ID"] == incoming
    else:
        assert response["X-Request-ID"] != incoming
        assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_the_request_line_is_json_with_route_status_duration_and_user(
    coordinator, verified_client, log_lines
):
    client = verified_client(coordinator)
    response = client.get(reverse("cases:list"), {"q": "geheim", "status": "intake"})
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    lines = [line for line in log_lines() if line["logger"] == "woonoverlast.request"]
    assert len(lines) == 1
    line = lines[0]
    assert set(line) == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "route",
        "path",
        "status",
        "duration_ms",
        "user_id",
    }
    assert line["request_id"] == request_id
    assert (line["method"], line["route"], line["path"], line["status"]) == (
        "GET",
        "cases:list",
        "/casussen/",
        200,
    )
    assert line["user_id"] == coordinator.pk
    assert isinstance(line["duration_ms"], float)
    dt.datetime.fromisoformat(line["time"])
    assert "geheim" not in log_lines.raw() and "?" not in line["message"]


@pytest.mark.django_db
def test_the_path_is_the_route_pattern_not_the_ids_or_tokens(client, log_lines):
    response = client.get("/account/password/reset/MQ/abc-123456789abcdef/")
    assert response.status_code in (200, 302)
    line = next(line for line in log_lines() if line["logger"] == "woonoverlast.request")
    assert "abc-123456789abcdef" not in json.dumps(line)
    assert "<" in line["path"]  # e.g. /account/reset/<uidb64>/<token>/


@pytest.mark.django_db
def test_every_record_of_a_request_carries_its_id(client, log_lines):
    """Django's own 404 warning is written after the middleware has returned."""
    response = client.get("/casussen/999999999/", HTTP_X_REQUEST_ID="trace-404-check")
    assert response.status_code in (302, 404)
    records = [line for line in log_lines() if line["request_id"] == "trace-404-check"]
    assert records and all(line["request_id"] == "trace-404-check" for line in records)
    response = client.get("/bestaat-niet/", HTTP_X_REQUEST_ID="trace-404-other")
    assert response.status_code == 404
    by_logger = {line["logger"] for line in log_lines() if line["request_id"] == "trace-404-other"}
    assert by_logger == {"woonoverlast.request", "django.request"}


@pytest.mark.django_db
def test_a_searched_surname_appears_in_no_log_line(verified_client, log_lines):
    team = make_team()
    case, causer = make_full_case(
        team, first=FIRST_NAME, last=SURNAME, born=BORN, street="Merelhof"
    )
    client = verified_client(team.coordinator)
    # Search by name, open the case, save the person with an error and without, sign out
    # and fail to sign in with the coordinator's e-mail address.
    assert SURNAME.encode() in client.get(reverse("cases:list"), {"q": SURNAME}).content
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    edit = reverse("cases:person_edit", args=[case.pk, causer.pk])
    form = {
        "first_name": FIRST_NAME,
        "last_name": SURNAME,
        "date_of_birth": "1961-13-45",
        "phone": "0612345678",
    }
    assert client.post(edit, form).status_code == 200  # the form again, with the error
    client.post(edit, {**form, "date_of_birth": "1961-05-23"})
    client.post("/account/logout/")
    client.post(
        "/account/login/",
        {
            "sign_in_view-current_step": "auth",
            "auth-username": team.coordinator.email,
            "auth-password": f"{SURNAME}-wrong",
        },
    )
    raw = log_lines.raw()
    assert raw.count('"logger": "woonoverlast.request"') >= 6
    for needle in (SURNAME, FIRST_NAME, "1961-05-23", "0612345678", team.coordinator.email):
        assert needle.casefold() not in raw.casefold(), needle


# --- Celery ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_task_logs_json_with_the_id_of_the_request_that_queued_it(celery_worker, log_lines):
    token = logs.request_id_var.set("queued-by-request-42")
    try:
        result = ping.delay()
    finally:
        logs.request_id_var.reset(token)
    assert result.get(timeout=30) == "pong"
    lines = [line for line in log_lines() if line.get("task") == "woonoverlast.ping"]
    assert len(lines) == 1
    assert lines[0]["request_id"] == "queued-by-request-42"
    assert lines[0]["task_id"] == result.id
    assert lines[0]["state"] == "SUCCESS"


def test_the_production_worker_logs_json_lines_with_the_request_id(tmp_path, settings):
    """`celery worker` with the production settings, as compose runs it (one process, its
    own queue on this test's broker): its records are JSON and the task line carries the
    id of the request that queued it."""
    queue = f"logs-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "woonoverlast.settings.prod",
        "SECRET_KEY": "logs-test-" + "x" * 50,
        "RECIDIVISM_KEY_SECRET": "logs-test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    celery = Path(sys.executable).parent / "celery"
    worker = subprocess.Popen(  # noqa: S603 - our own worker, loopback broker
        [str(celery), "-A", "woonoverlast", "worker", "--pool", "solo", "-Q", queue]
        + ["--loglevel", "INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        token = logs.request_id_var.set("queued-in-production-7")
        # A plain connection: without the key prefix pytest-xdist workers get (settings/test.py),
        # which the production worker does not use.
        try:
            with Connection(settings.CELERY_BROKER_URL) as connection:
                result = ping.apply_async(queue=queue, connection=connection)
        finally:
            logs.request_id_var.reset(token)
        deadline = time.monotonic() + 60
        task_lines: list[dict] = []
        while time.monotonic() < deadline and not task_lines:
            time.sleep(0.5)
            records = [
                json.loads(raw) for raw in log.read_text().splitlines() if raw.startswith("{")
            ]
            task_lines = [r for r in records if r.get("task_id") == result.id]
        assert task_lines, log.read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    (line,) = task_lines
    assert line["request_id"] == "queued-in-production-7"
    assert line["task"] == "woonoverlast.ping" and line["state"] == "SUCCESS"
    # Celery's own records go through the same JSON formatter.
    assert any(r["logger"].startswith("celery") for r in records)
