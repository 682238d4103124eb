"""Faults: PostgreSQL restarts while requests are in flight (docs/operations.md, "Faults").

Never the shared server: the test starts a PostgreSQL of its own (the embedded one the dev
stack uses, on a free loopback port), copies the test database into it, and runs gunicorn
against it with persistent connections (CONN_MAX_AGE 60, CONN_HEALTH_CHECKS on, as in
production). Three clients keep reading the case page and saving the case form; halfway,
PostgreSQL restarts (`pg_ctl restart -m fast`: every connection is cut, transactions in
flight are rolled back). Then:

- every answer is a normal page or the Dutch 503 page (NL Design System, Retry-After), never
  a bare error or a dropped connection;
- the application recovers by itself: every request started a second after PostgreSQL is
  back succeeds (health checks replace the dead connections, no restart of gunicorn);
- nothing is half-written: each save bumped the version and wrote its history row together.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation

from cases import keys
from devtools.devstack import EmbeddedPostgres, database_url, free_port, wait_for_port
from tests.cases.case_setup import make_world
from tests.cases.test_case_edit import _data
from tests.faults.test_concurrent_saves import _session_cookie

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
LOAD_BEFORE = 1.5  # seconds of load before the restart
LOAD_AFTER = 4.0  # and after PostgreSQL is back
RECOVERED_WITHIN = 1.0  # every request started this long after it is back must succeed


def _dutch(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


@dataclass
class Private:
    postgres: EmbeddedPostgres
    url: str
    root: Path


@pytest.fixture
def private_postgres() -> Iterator[Private]:
    """An embedded PostgreSQL of this test, holding a copy of the test database."""
    root = Path(tempfile.mkdtemp(prefix="wo-faults-pg-"))  # under /tmp: `nobody` may enter
    postgres = EmbeddedPostgres(root, durable=False)
    try:
        postgres.prepare()
        postgres.start(free_port(55432))
        postgres.ensure_database("faults")
        url = database_url(port=postgres.port, name="faults")
        db = connection.settings_dict
        source = database_url(
            port=int(db["PORT"] or 5432), name=db["NAME"], host=db["HOST"] or "127.0.0.1",
            user=db["USER"] or "postgres",
        )  # fmt: skip
        dump = subprocess.run(
            [str(postgres.bin / "pg_dump"), "--no-owner", "--no-acl", source],
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip
        # The shared server marks columns with an option of its own (pg_attver) that a
        # plain PostgreSQL does not know: those lines are left out.
        script = b"\n".join(line for line in dump.stdout.splitlines() if b"(pg_attver=" not in line)
        subprocess.run(
            [str(postgres.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", url],
            input=script, capture_output=True, check=True, timeout=120,
        )  # fmt: skip
        yield Private(postgres, url, root)
    finally:
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def server(private_postgres, tmp_path) -> Iterator[str]:
    """gunicorn (two processes, two threads each) against the private PostgreSQL."""
    port = free_port(58080)
    log = (tmp_path / "gunicorn.log").open("w")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "woonoverlast.settings.test",
        "DATABASE_URL": private_postgres.url,
        "TEST_DB_CONN_MAX_AGE": "60",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "woonoverlast.wsgi:application",
         f"--bind=127.0.0.1:{port}", "--workers=2", "--threads=2", "--timeout=30",
         "--graceful-timeout=5"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert wait_for_port(port, 60), "gunicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@dataclass
class Answer:
    started: float
    status: int  # 0: no HTTP answer at all
    body: str
    street: str = ""
    cookies: list[str] = field(default_factory=list)


@dataclass
class Load:
    base: str
    cookies: str
    case_pk: int
    form: dict
    answers: list[Answer] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, path: str, data: dict | None = None) -> Answer:
        started = time.monotonic()
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(  # noqa: S310 - http on loopback, the test's own server
            self.base + path, data=body, headers={"Cookie": self.cookies}
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(req, timeout=20) as response:
                answer = Answer(started, response.status, response.read().decode())
                answer.cookies = response.headers.get_all("Set-Cookie") or []
        except urllib.error.HTTPError as error:
            answer = Answer(started, error.code, error.read().decode())
        except OSError as error:
            answer = Answer(started, 0, repr(error))
        return answer

    def reader(self) -> None:
        while not self.stop.is_set():
            answer = self.request(reverse("cases:detail", args=[self.case_pk]))
            with self.lock:
                self.answers.append(answer)

    def writer(self) -> None:
        version, n = 1, 0
        while not self.stop.is_set():
            n += 1
            street = f"Herstelstraat {n}"
            answer = self.request(
                reverse("cases:edit", args=[self.case_pk]),
                {**self.form, "street": street, "version": version},
            )
            answer.street = street
            if answer.status == 302:
                version += 1
            elif answer.status == 200:  # a save that was committed but not answered: conflict
                version = int(re.search(r'name="version" value="(\d+)"', answer.body).group(1))
            with self.lock:
                self.answers.append(answer)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_postgres_restarted_under_load_friendly_page_recovers_nothing_half_written(request):
    # The data, committed in the test database before the fixtures copy it.
    world = make_world()
    cookie = _session_cookie(world.casemanager)
    case = world.case
    private_postgres = request.getfixturevalue("private_postgres")
    base = request.getfixturevalue("server")
    load = Load(base, f"{settings.SESSION_COOKIE_NAME}={cookie}", case.pk, {})
    page = load.request(reverse("cases:edit", args=[case.pk]))
    assert page.status == 200, page.body[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    [csrf] = [c.split(";")[0] for c in page.cookies if c.startswith(settings.CSRF_COOKIE_NAME)]
    load.cookies += f"; {csrf}"
    load.form = {**_data(case), "csrfmiddlewaretoken": token}
    history_before = _one(
        private_postgres.url, "SELECT count(*) FROM cases_historicalcase WHERE id = %s", case.pk
    )

    threads = [threading.Thread(target=load.reader) for _ in range(2)]
    threads.append(threading.Thread(target=load.writer))
    for thread in threads:
        thread.start()
    try:
        time.sleep(LOAD_BEFORE)
        down = time.monotonic()
        _restart(private_postgres.postgres)
        back = time.monotonic()
        time.sleep(LOAD_AFTER)
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=30)

    answers = load.answers
    statuses = sorted({a.status for a in answers})
    assert set(statuses) <= {200, 302, 503}, [
        a.body[:300] for a in answers if a.status not in (200, 302, 503)
    ]
    unavailable = [a for a in answers if a.status == 503]
    assert unavailable, "no request met the restart"
    heading = _dutch("Briefly unavailable")
    assert heading != "Briefly unavailable"
    for answer in unavailable:
        assert heading in answer.body and "utrecht-heading-1" in answer.body
        assert "Traceback" not in answer.body
    late = [a for a in answers if a.started >= back + RECOVERED_WITHIN]
    assert late and all(a.status in (200, 302) for a in late), sorted({a.status for a in late})
    first_ok = min(a.started for a in answers if a.started >= down and a.status in (200, 302))
    recovered_after = first_ok - back

    # Nothing half-written: every save is one transaction (version, fields, history row).
    with psycopg.connect(private_postgres.url) as conn:
        version, street, postcode, number, addition, address_key = conn.execute(
            "SELECT version, street, postcode, house_number, house_number_addition, address_key "
            "FROM cases_case WHERE id = %s",
            [case.pk],
        ).fetchone()
        history = conn.execute(
            "SELECT count(*) FROM cases_historicalcase WHERE id = %s", [case.pk]
        ).fetchone()[0]
    saved = [a for a in answers if a.status == 302]
    assert saved
    assert history - history_before == version - 1  # one history row per version bump
    assert version - 1 >= len(saved)  # every confirmed save is there (and maybe one unanswered)
    attempted = [a.street for a in answers if a.street]
    assert street in attempted and attempted.index(street) >= attempted.index(saved[-1].street)
    assert address_key == keys.address_key(postcode, number, addition)
    # Restarted while idle: every server thread holds a connection that died unnoticed.
    # The health check at the start of each request replaces it, so not one request fails
    # (without CONN_HEALTH_CHECKS the first request of each thread would: tried).
    _restart(private_postgres.postgres)
    with ThreadPoolExecutor(max_workers=4) as pool:
        after_idle = list(
            pool.map(lambda _: load.request(reverse("cases:detail", args=[case.pk])), range(16))
        )
    assert [a.status for a in after_idle] == [200] * 16, [a.status for a in after_idle]
    print(
        f"\nrestart took {back - down:.2f}s; answers {len(answers)} "
        f"(503: {len(unavailable)}); first success {recovered_after:+.2f}s after PostgreSQL was back"
    )


def _restart(postgres: EmbeddedPostgres) -> None:
    """`pg_ctl restart -m fast`: every connection is cut, transactions in flight roll back."""
    postgres._run(
        "pg_ctl", "-D", str(postgres.data), "-l", str(postgres.log), "-m", "fast", "-w",
        "-t", "60", "restart", "-o", _options(postgres), timeout=90,
    )  # fmt: skip


def _options(postgres: EmbeddedPostgres) -> str:
    from devtools.devstack import socket_dir_for

    return " ".join([
        "-c listen_addresses=127.0.0.1", f"-c port={postgres.port}",
        f"-c unix_socket_directories='{socket_dir_for(postgres.data, postgres.port)}'",
        "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
    ])  # fmt: skip


def _one(url: str, sql: str, *params):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, list(params)).fetchone()[0]


@pytest.mark.django_db(transaction=False)
def test_an_unreachable_database_gets_the_503_page_and_any_other_error_the_500_page(rf):
    from django.db import OperationalError

    from woonoverlast.errors import server_error

    request = rf.get("/")
    for error, status, heading in (
        (OperationalError("connection refused"), 503, "Briefly unavailable"),
        (ValueError("a bug"), 500, "Something went wrong"),
    ):
        try:
            raise error
        except Exception:
            response = server_error(request)
        assert response.status_code == status
        assert _dutch(heading) in response.content.decode()
        assert ("Retry-After" in response) == (status == 503)
