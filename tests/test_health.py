"""/health/live and /health/ready (woonoverlast/health.py): in process, with each dependency
failing in turn, and in the production shape (gunicorn with the production settings)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import override_settings

from audit.models import ReadLogEntry
from woonoverlast import health

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1 (loopback only)


def test_live_answers_without_touching_the_database(client):
    """No `db` fixture: pytest-django refuses any database access here."""
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert response["X-Request-ID"]
    assert not response.cookies


@pytest.mark.django_db
def test_ready_reports_every_check(client):
    response = client.get("/health/ready")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "disk": "ok"},
    }
    assert not response.cookies
    assert ReadLogEntry.objects.count() == 0


@pytest.mark.django_db
def test_ready_fails_naming_the_broker_when_it_is_down(client, settings):
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    started = time.monotonic()
    response = client.get("/health/ready")
    assert time.monotonic() - started < settings.HEALTH_CHECK_TIMEOUT + 2
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["broker"]
    assert body["checks"]["database"] == "ok"
    assert "111" not in response.content.decode()  # no error text in the answer
    # The liveness probe does not care.
    assert client.get("/health/live").status_code == 200


@pytest.mark.django_db
def test_ready_fails_naming_the_disk_below_the_threshold(client, settings):
    settings.HEALTH_MIN_FREE_MB = 1024**3  # a petabyte
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failed"] == ["disk"]


@pytest.mark.django_db
def test_ready_fails_naming_the_database_when_it_is_unreachable(client, monkeypatch):
    """A second connection object to a closed port stands in for the default one; the shared
    server is not touched."""
    broken = connections.create_connection("default")
    broken.settings_dict = {**broken.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}
    monkeypatch.setattr(health, "connections", {"default": broken})
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    broken.close()


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["woonoverlast.example.org"])
def test_probes_skip_the_host_check_https_redirect_and_sign_in(client):
    """A container's probe asks http://127.0.0.1:8000/ — not an allowed host, not HTTPS."""
    for path in ("/health/live", "/health/ready"):
        response = client.get(path, HTTP_HOST="127.0.0.1:8000")
        assert response.status_code == 200, (path, response.status_code)
    # Any other page still goes through the checks.
    assert client.get("/toegankelijkheid/", HTTP_HOST="127.0.0.1:8000").status_code == 400


def test_probes_answer_get_and_head_only(client):
    assert client.head("/health/live").status_code == 200
    response = client.post("/health/live")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


# --- The production shape -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    name = connection.settings_dict["NAME"]
    host = connection.settings_dict["HOST"] or "127.0.0.1"
    port = connection.settings_dict["PORT"] or "5432"
    user = connection.settings_dict["USER"] or "postgres"
    return f"postgres://{user}@{host}:{port}/{name}"


def _get(url: str) -> tuple[int, dict, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


class Gunicorn:
    """gunicorn with the production settings on a loopback port, stopped on exit."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.port = _free_port()
        self.log = tmp_path / f"gunicorn-{self.port}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "woonoverlast.settings.prod",
            "SECRET_KEY": "health-test-" + "x" * 50,
            "RECIDIVISM_KEY_SECRET": "health-test",
            "ALLOWED_HOSTS": "woonoverlast.example.org",
            "MEDIA_ROOT": str(tmp_path),
            "LOG_JSON": "true",
            **env,
        }

    def __enter__(self) -> Gunicorn:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(  # noqa: S603 - our own server, loopback only
            [str(gunicorn), "woonoverlast.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", "1", "--timeout", "30"],
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                assert self.process.poll() is None, self.log.read_text()
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start: " + self.log.read_text())

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def json_lines(self) -> list[dict]:
        lines = []
        for raw in self.log.read_text().splitlines():
            if raw.startswith("{"):
                lines.append(json.loads(raw))
        return lines


@pytest.mark.django_db
def test_production_shape_ready_and_failing(tmp_path, settings):
    with Gunicorn(
        tmp_path, DATABASE_URL=_database_url(), CELERY_BROKER_URL=settings.CELERY_BROKER_URL
    ) as server:
        status, body, headers = _get(server.url("/health/live"))
        assert (status, body) == (200, {"status": "ok"})
        status, body, headers = _get(server.url("/health/ready"))
        assert status == 200, body
        assert body["checks"] == {"database": "ok", "broker": "ok", "disk": "ok"}
        assert len(headers["X-Request-ID"]) == 32

    with Gunicorn(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing",
        CELERY_BROKER_URL=CLOSED_PORT_BROKER,
    ) as server:
        assert _get(server.url("/health/live"))[0] == 200
        started = time.monotonic()
        status, body, headers = _get(server.url("/health/ready"))
        assert time.monotonic() - started < 10
        assert status == 503
        assert body["failed"] == ["broker", "database"]
        assert body["checks"]["disk"] == "ok"
        request_id = headers["X-Request-ID"]
    lines = server.json_lines()
    failing = [line for line in lines if line.get("request_id") == request_id]
    # The request line (a failing probe is logged) and one warning per failed check.
    assert any(line.get("status") == 503 and line["route"] == "health_ready" for line in failing)
    assert {
        line["message"].split()[2] for line in failing if line["logger"] == "woonoverlast.health"
    } == {
        "broker",
        "database",
    }
    # The healthy probes were not logged.
    assert not [line for line in lines if line.get("status") == 200]
