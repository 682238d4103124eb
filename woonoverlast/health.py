"""Health endpoints for the container runtime and the load balancer (docs/operations.md).

- `/health/live`: the process answers. Touches nothing (no database, no broker, no disk),
  so a slow database never gets a healthy web process restarted.
- `/health/ready`: the database answers a query, the broker accepts a connection and the
  disk that holds the uploaded documents has at least `HEALTH_MIN_FREE_MB` free. 200 with
  the checks as JSON; 503 with the same JSON, naming what failed.

Both are answered by `HealthMiddleware`, first in MIDDLEWARE, before anything else runs:
no host check (a container's probe asks for 127.0.0.1), no HTTPS redirect, no session,
sign-in, second factor or read log. They are also in the URL configuration (marked public)
so that the URL walk and the permission matrix know them. The answer holds no personal
data and no error text (a failing check is named, its reason goes to the log).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from kombu import Connection

from partners import access

logger = logging.getLogger("woonoverlast.health")

LIVE_PATH = "/health/live"
READY_PATH = "/health/ready"
METHODS = ("GET", "HEAD")


def check_database() -> None:
    """One round trip on the default connection (raises when the database is away)."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    """Connect to the Celery broker (and PING it where it is Redis/Valkey), bounded in time."""
    timeout = settings.HEALTH_CHECK_TIMEOUT
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=timeout,
        transport_options={"socket_connect_timeout": timeout, "socket_timeout": timeout},
    ) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)
        client = getattr(connection.default_channel, "client", None)
        if client is not None:
            client.ping()


def media_root() -> str:
    """Where the uploaded documents are stored (the default storage's directory)."""
    return str(getattr(default_storage, "location", settings.MEDIA_ROOT))


def check_disk() -> None:
    """At least HEALTH_MIN_FREE_MB free on the disk of the uploaded documents."""
    path = Path(media_root()).resolve()
    while not path.exists() and path != path.parent:  # not made yet: the disk it will be on
        path = path.parent
    free_mb = shutil.disk_usage(path).free // (1024 * 1024)
    if free_mb < settings.HEALTH_MIN_FREE_MB:
        raise OSError(f"{free_mb} MB free, below HEALTH_MIN_FREE_MB={settings.HEALTH_MIN_FREE_MB}")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "disk": check_disk,
}


def run_checks() -> dict[str, str]:
    """Each check's result: "ok" or "fail" (the reason is logged, never returned)."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure makes the check fail
            results[name] = "fail"
            logger.warning(
                "health check %s failed after %d ms: %s",
                name,
                (time.monotonic() - started) * 1000,
                type(error).__name__,
            )
        else:
            results[name] = "ok"
    if results["database"] == "fail":
        # A broken connection must not be reused by the next probe or request.
        connections["default"].close_if_unusable_or_obsolete()
    return results


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@access.public
def live(request: HttpRequest) -> HttpResponse:
    """The process answers."""
    return _no_store(JsonResponse({"status": "ok"}))


@access.public
def ready(request: HttpRequest) -> HttpResponse:
    """Database, broker and upload disk; 503 naming the failed checks."""
    checks = run_checks()
    failed = sorted(name for name, result in checks.items() if result != "ok")
    body: dict[str, object] = {"status": "fail" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    return _no_store(JsonResponse(body, status=503 if failed else 200))


# path -> (url name, view); the names of woonoverlast/urls.py, for the request log.
VIEWS: dict[str, tuple[str, Callable[[HttpRequest], HttpResponse]]] = {
    LIVE_PATH: ("health_live", live),
    READY_PATH: ("health_ready", ready),
}


class HealthMiddleware:
    """Answers the health paths before any other middleware runs (see the module doc).

    Put it first in MIDDLEWARE, after the request log (woonoverlast.logs), which gives the
    answer its X-Request-ID."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = VIEWS.get(request.path_info.rstrip("/"))
        if found is None:
            return self.get_response(request)
        name, view = found
        request.health_check = name  # type: ignore[attr-defined]
        if request.method not in METHODS:
            return HttpResponseNotAllowed(METHODS)
        return view(request)
