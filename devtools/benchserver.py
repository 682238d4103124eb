"""A production-shaped server for `manage.py benchmark_pages` and `manage.py loadtest` (issue 15).

- PostgreSQL and Valkey: the embedded ones of the dev stack (devtools/devstack.py, data under
  var/bench/), or the ones named with --database-url / --broker-url.
- gunicorn serving `woonoverlast.wsgi` with the production settings
  (devtools/bench_settings.py: prod plus the query-counting middleware below), static files
  collected as the Dockerfile does, workers as the Dockerfile says (3).
- Users signed in with the second factor: sessions written straight into the session table
  (as tests/conftest.py signs in), sent as the production cookie `__Host-sessionid` with
  `X-Forwarded-Proto: https`, as from the TLS proxy in front of production.
- The scenarios of issue 15, picked from the data (the busiest casemanager, the
  representatives with the most and the fewest cases, the longest journal, ...).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import environ
from django.conf import settings
from django.db import connection, connections

from devtools.devstack import ROOT, VAR, Child, EmbeddedPostgres, EmbeddedValkey, free_port

BENCH_VAR = VAR / "bench"
QUERY_HEADER = "X-Bench-Queries"
SESSION_COOKIE = "__Host-sessionid"  # woonoverlast/settings/prod.py
CSRF_COOKIE = "__Host-csrftoken"
HELPER_DOMAIN = "pages.bench.example.org"  # accounts this harness adds (see bench_accounts)
SIGN_IN_PASSWORD = "bench-sign-in-password-1"  # noqa: S105 - synthetic benchmark account
BARE_PATH = "/toegankelijkheid/"  # signed in, middleware, base template, no data


# --- the middleware behind X-Bench-Queries (devtools/bench_settings.py) ----------------


class QueryCountMiddleware:
    """Counts every query of the request, the session save included (outermost)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        count = 0

        def counter(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERY_HEADER] = str(count)
        return response


# --- services and database ---------------------------------------------------------------


@dataclass
class Services:
    database_url: str
    broker_url: str
    embedded: list[str] = field(default_factory=list)


@contextlib.contextmanager
def services(
    *, database_url: str, broker_url: str, say: Callable[[str], None]
) -> Iterator[Services]:
    """The given database and broker, or the embedded ones (started here, stopped after)."""
    postgres: EmbeddedPostgres | None = None
    valkey: EmbeddedValkey | None = None
    started = Services(database_url, broker_url)
    try:
        if not database_url:
            postgres = EmbeddedPostgres(BENCH_VAR / "pg", durable=True)
            postgres.prepare()
            port = free_port(54349)
            say(f"Starting embedded PostgreSQL on 127.0.0.1:{port} (data in var/bench/pg)")
            postgres.start(port)
            postgres.ensure_database("woonoverlast_bench")
            started.database_url = f"postgres://postgres@127.0.0.1:{port}/woonoverlast_bench"
            started.embedded.append("postgresql")
        if not broker_url:
            port = free_port(16400)
            say(f"Starting embedded Valkey on 127.0.0.1:{port}")
            valkey = EmbeddedValkey(BENCH_VAR / "valkey", port)
            valkey.start()
            started.broker_url = f"redis://127.0.0.1:{port}/0"
            started.embedded.append("valkey")
        yield started
    finally:
        if valkey is not None:
            valkey.stop()
        if postgres is not None:
            postgres.stop()


@contextlib.contextmanager
def use_database(url: str) -> Iterator[None]:
    """This process's default connection on `url` for the duration."""
    original = dict(connection.settings_dict)
    connections["default"].close()
    connections["default"].settings_dict.update(environ.Env.db_url_config(url))
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"].settings_dict.clear()
        connections["default"].settings_dict.update(original)


def prepare_data(*, cases: int, may_migrate: bool, say: Callable[[str], None]) -> None:
    """Migrate (embedded database only) and seed `cases` cases when the database has none."""
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db.migrations.executor import MigrationExecutor

    from cases.models import Case
    from devtools import benchdata

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        if not may_migrate:
            raise CommandError("That database is not migrated: run `manage.py migrate` first.")
        say(f"Migrating the benchmark database ({len(pending)} migrations) …")
        call_command("migrate", verbosity=0)
    if not Case.objects.exists():
        say(f"Seeding {cases} cases (devtools/benchdata.py) …")
        benchdata.seed(cases=cases, report=say)


# --- the server ------------------------------------------------------------------------------


def collect_static(static_root: Path, env: dict[str, str], say: Callable[[str], None]) -> None:
    """collectstatic as the Dockerfile runs it; skipped while the manifest is newer than
    every file in static/."""
    manifest = static_root / "staticfiles.json"
    if manifest.exists():
        newest = max(p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file())
        if manifest.stat().st_mtime > newest:
            return
    say(f"collectstatic into {static_root} …")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity=0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def server_env(database_url: str, broker_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "TWO_FACTOR_SKIP_FOR_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "devtools.bench_settings",
            # The sessions are signed here with this process's keys: the server shares them.
            "SECRET_KEY": settings.SECRET_KEY,
            "RECIDIVISM_KEY_SECRET": settings.RECIDIVISM_KEY_SECRET,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(BENCH_VAR / "static"),
            "MEDIA_ROOT": str(BENCH_VAR / "media"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@contextlib.contextmanager
def gunicorn(
    *, database_url: str, broker_url: str, workers: int, say: Callable[[str], None]
) -> Iterator[int]:
    """gunicorn on a free loopback port with the production settings; yields the port."""
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    env = server_env(database_url, broker_url)
    collect_static(BENCH_VAR / "static", env, say)
    port = free_port(8150)
    log = BENCH_VAR / "gunicorn.log"
    say(f"Starting gunicorn ({workers} workers) on 127.0.0.1:{port}; log in {log}")
    # As the Dockerfile's CMD, on loopback; the access log off (it would be timed too).
    args = [
        sys.executable, "-m", "gunicorn", "woonoverlast.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--forwarded-allow-ips", "*", "--timeout", "120",
    ]  # fmt: skip
    child = Child("gunicorn", args, env, log=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if child.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {log}")
            with contextlib.suppress(OSError):
                if get(port, "/account/login/").status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s; see {log}")
            time.sleep(0.3)
        yield port
    finally:
        child.stop()


def run_against_server(
    *, options: dict[str, Any], run: Callable[[int], dict[str, Any]], say: Callable[[str], None]
) -> dict[str, Any]:
    """What both benchmark commands do around their measuring: the services (embedded or
    given), the data, gunicorn with the production settings; `run(port)` measures. Returns
    its results with the services they were measured against."""
    with (
        services(
            database_url=options["database_url"], broker_url=options["broker_url"], say=say
        ) as found,
        use_database(found.database_url),
    ):
        prepare_data(cases=options["cases"], may_migrate=not options["database_url"], say=say)
        with gunicorn(
            database_url=found.database_url,
            broker_url=found.broker_url,
            workers=options["workers"],
            say=say,
        ) as port:
            results = run(port)
        results["services"] = {
            "embedded": found.embedded,
            "database": connection.settings_dict["NAME"],
            "gunicorn_workers": options["workers"],
            "settings": "devtools.bench_settings (woonoverlast.settings.prod + query count)",
        }
    return results


# --- HTTP --------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    ms: float
    queries: int
    body: bytes
    location: str
    cookies: dict[str, str]


def get(
    port: int,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    method: str = "GET",
    form: dict[str, str] | None = None,
) -> Answer:
    """One request as through the TLS proxy; the whole body is read (and timed)."""
    headers = {
        "Host": f"127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "User-Agent": "woonoverlast-benchmark",
    }
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"https://127.0.0.1:{port}"
        headers["Referer"] = f"https://127.0.0.1:{port}{path}"
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    ms = (time.perf_counter() - started) * 1000
    jar: dict[str, str] = {}
    for raw in response.headers.get_all("Set-Cookie") or []:
        parsed: SimpleCookie = SimpleCookie()
        parsed.load(raw)
        jar.update({name: morsel.value for name, morsel in parsed.items()})
    return Answer(
        status=response.status,
        ms=ms,
        queries=int(response.headers.get(QUERY_HEADER, "0")),
        body=data,
        location=response.headers.get("Location", ""),
        cookies=jar,
    )


_HIDDEN = re.compile(rb'<input[^>]*type="hidden"[^>]*>')
_ATTR = re.compile(rb'(name|value)="([^"]*)"')


def hidden_fields(html: bytes) -> dict[str, str]:
    fields = {}
    for tag in _HIDDEN.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if b"name" in attrs:
            fields[attrs[b"name"].decode()] = attrs.get(b"value", b"").decode()
    return fields


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238, as django_otp's TOTP devices check it (SHA-1, 30 s, 6 digits)."""
    import hashlib
    import hmac
    import struct

    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


def sign_in(port: int, email: str, password: str, key_hex: str) -> tuple[bool, float, int]:
    """The whole sign-in: the form, e-mail and password, the code. (ok, ms, queries)."""
    cookies: dict[str, str] = {}
    total_ms = 0.0
    queries = 0

    def step(path: str, form: dict[str, str] | None) -> Answer:
        nonlocal total_ms, queries
        answer = get(port, path, cookies=cookies, method="POST" if form else "GET", form=form)
        cookies.update(answer.cookies)
        total_ms += answer.ms
        queries += answer.queries
        return answer

    login = "/account/login/"
    page = step(login, None)
    fields = hidden_fields(page.body)
    prefix = next((n[: -len("-current_step")] for n in fields if n.endswith("-current_step")), "")
    answer = step(
        login,
        {
            **fields,
            f"{prefix}-current_step": "auth",
            "next": "/",
            "auth-username": email,
            "auth-password": password,
        },
    )
    fields = hidden_fields(answer.body)
    answer = step(
        login,
        {
            **fields,
            f"{prefix}-current_step": "token",
            "next": "/",
            "token-otp_token": totp(key_hex),
        },
    )
    ok = answer.status == 302 and answer.location in ("/", f"https://127.0.0.1:{port}/")
    return ok, total_ms, queries


# --- accounts and sessions --------------------------------------------------------------------


def _group_user(role: str, **filters: Any) -> Any:
    from partners.models import User

    return (
        User.objects.filter(groups__name=role, is_active=True, **filters)
        .exclude(email__endswith=f"@{HELPER_DOMAIN}")
        .order_by("pk")
        .first()
    )


def bench_accounts(sign_in_accounts: int) -> tuple[Any, list[tuple[str, str]]]:
    """The accounts the data set may lack: a privacy officer (the access log) and accounts
    with a password and a known TOTP key (sign-in). Made once, under @pages.bench.example.org.
    Returns (privacy officer, [(e-mail, TOTP key)])."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partners import access as partners_access
    from partners.choices import OrganisationKind, Role
    from partners.models import Organisation, User

    executing = Organisation.objects.filter(kind=OrganisationKind.EXECUTING).order_by("pk").first()
    officer = _group_user(Role.PRIVACY_OFFICER.value)

    def account(email: str, role: Role, password: str | None) -> Any:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"organisation": executing, "first_name": "Bench", "last_name": "Pages"},
        )
        if created:
            user.password = password or make_password(None)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role.value))
            partners_access.sync_user_organisation_group(user)
        return user

    if officer is None:
        officer = account(f"privacy@{HELPER_DOMAIN}", Role.PRIVACY_OFFICER, None)
    # The production hasher, whatever this process's settings use (the tests: MD5).
    hasher = PBKDF2PasswordHasher()
    hashed = hasher.encode(SIGN_IN_PASSWORD, hasher.salt())
    signers = []
    for index in range(sign_in_accounts):
        user = account(f"signin{index + 1}@{HELPER_DOMAIN}", Role.CASEMANAGER, hashed)
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="default", defaults={"confirmed": True}
        )
        signers.append((user.email, device.key))
    return officer, signers


def allow_code_again(email: str) -> None:
    """A TOTP code is accepted once per 30 s window; the harness signs in more often."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__email=email).update(last_t=-1, throttling_failure_count=0)


def signed_in_session(user: Any) -> str:
    """A session as after a sign-in with password and code; returns its key."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend a sign-in would record: the first that loads users (as force_login picks).
    store[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    assert store.session_key is not None
    return store.session_key


def drop_sessions(keys: list[str]) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=keys).delete()


# --- the scenarios -----------------------------------------------------------------------------


@dataclass
class Page:
    """One HTTP scenario: a GET of `path` by `user`."""

    name: str
    path: str
    user: Any
    note: str = ""


def pages(officer: Any) -> list[Page]:
    """Every page scenario of issue 15, picked from the data in the current database."""
    from django.db.models import Count, Q

    from audit.models import ReadLogEntry
    from cases.choices import CaseStatus
    from cases.models import Case, CaseInvolvement, JournalEntry, Person
    from cases.views.case import PAGE_SIZE
    from partners.choices import Role
    from partners.models import User
    from privacy.anonymise import TOMBSTONE_NAME

    coordinator = _group_user(Role.COORDINATOR.value)
    manager = _group_user(Role.MANAGER.value)
    referrer = _group_user(Role.REFERRER.value)
    busiest = (
        Case.objects.exclude(casemanager=None)
        .values("casemanager")
        .annotate(n=Count("pk"))
        .order_by("-n", "casemanager")
        .first()
    )
    assert coordinator and manager and referrer and busiest, "a seeded data set (seed_bench)"
    casemanager = User.objects.get(pk=busiest["casemanager"])
    represented = (
        User.objects.filter(groups__name=Role.PARTNER_REPRESENTATIVE.value, is_active=True)
        .values("organisation")
        .distinct()
    )
    per_organisation = list(
        CaseInvolvement.objects.filter(is_active=True, organisation__in=represented)
        .values("organisation")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation")
    )
    many, few = per_organisation[0], per_organisation[-1]
    rep_many = _group_user(Role.PARTNER_REPRESENTATIVE.value, organisation=many["organisation"])
    rep_few = _group_user(Role.PARTNER_REPRESENTATIVE.value, organisation=few["organisation"])
    open_ = [
        CaseStatus.ACCEPTED, CaseStatus.INVESTIGATION, CaseStatus.PLAN_AGREED,
        CaseStatus.EXECUTION, CaseStatus.FINAL_EVALUATION, CaseStatus.AFTERCARE,
    ]  # fmt: skip
    journals = (
        JournalEntry.objects.filter(case__status__in=open_, case__casemanager__isnull=False)
        .values("case")
        .annotate(n=Count("pk"))
    )
    # The longest journal of all (closed cases included), as the coordinator reads it.
    longest = (
        JournalEntry.objects.filter(case__anonymised_at=None)
        .values("case")
        .annotate(n=Count("pk"))
        .order_by("-n", "case")
        .first()
    )
    shortest = journals.filter(n__lte=5).order_by("-case").first()
    assert longest and shortest
    long_case = Case.objects.get(pk=longest["case"])
    short_case = Case.objects.get(pk=shortest["case"])
    surname = (
        Person.objects.exclude(last_name=TOMBSTONE_NAME)
        .exclude(last_name="")
        .order_by("pk")
        .values_list("last_name", flat=True)
        .first()
    )
    street = Case.objects.exclude(street="").order_by("pk").values_list("street", flat=True).first()
    total = Case.objects.filter(~Q(status="draft")).count()
    reader = (
        ReadLogEntry.objects.values("user").annotate(n=Count("pk")).order_by("-n", "user").first()
    )
    assert reader
    year = time.localtime().tm_year - 1
    return [
        Page("case_list_coordinator", "/casussen/", coordinator),
        Page("case_list_casemanager", "/casussen/", casemanager, f"{busiest['n']} cases"),
        Page("case_list_representative_many", "/casussen/", rep_many, f"{many['n']} cases"),
        Page("case_list_representative_few", "/casussen/", rep_few, f"{few['n']} cases"),
        Page(
            "case_list_deep_page",
            f"/casussen/?page={max(1, total // PAGE_SIZE)}",
            coordinator,
            "the last page (OFFSET)",
        ),
        Page(
            "case_page_short_journal",
            f"/casussen/{short_case.pk}/",
            short_case.casemanager or coordinator,
            f"{shortest['n']} journal entries",
        ),
        Page(
            "case_page_long_journal",
            f"/casussen/{long_case.pk}/",
            coordinator,
            f"{longest['n']} journal entries",
        ),
        Page("search_name", f"/casussen/?{urlencode({'q': surname})}", coordinator),
        Page("search_address", f"/casussen/?{urlencode({'q': street})}", coordinator),
        Page("search_case_number", f"/casussen/?{urlencode({'q': long_case.number})}", coordinator),
        Page("dashboard_coordinator", "/", coordinator),
        Page("dashboard_casemanager", "/", casemanager),
        Page("dashboard_representative", "/", rep_many),
        Page("dashboard_referrer", "/", referrer),
        Page("dashboard_manager", "/", manager),
        Page("dashboard_privacy_officer", "/", officer),
        Page("intake_list", "/casussen/intake/", coordinator),
        Page("my_actions", "/casussen/acties/", rep_many),
        Page(
            "access_log",
            f"/privacy/toegang/gebruiker/{reader['user']}/",
            officer,
            f"a user with {reader['n']} reads",
        ),
        Page("annual_report", f"/cijfers/jaarverslag/?jaar={year}", manager, f"year {year}"),
    ]
