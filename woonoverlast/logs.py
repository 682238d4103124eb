"""Structured logs: a request id on every record, one line per request, JSON in production.

- `RequestLogMiddleware` (first in MIDDLEWARE) takes the request id from an incoming
  `X-Request-ID` when it is sane (1–64 characters of letters, digits, `.`, `_`, `-`), else
  makes one; it sits in a context variable for the whole request, goes back in the
  response's `X-Request-ID` header, and every log record made meanwhile carries it
  (`RequestIdFilter`). At the end one record on the `woonoverlast.request` logger: method,
  route name and route pattern (never the query string, never an id-bearing token from the
  path), status, duration in ms and the user's internal id.
- Celery: a task queued during a request carries the request id in its message headers; the
  worker puts it in the context variable while the task runs, and logs one line per task
  (name, task id, state, duration). `connect_celery()` is called from woonoverlast/celery.py.
- `JsonFormatter` writes one JSON object per line with a fixed set of keys. It never
  serialises a record's other attributes (Django's `django.request` records carry the whole
  request object, with its form data and cookies).

No personal data: messages in this code base name ids, never names or e-mail addresses
(STYLE.md); this module adds nothing from the query string, the body or the user but the id.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from celery import signals
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")
request_logger = logging.getLogger("woonoverlast.request")
task_logger = logging.getLogger("woonoverlast.task")

# The keys a request or task line adds (passed as `extra`); nothing else leaves a record.
FIELDS = (
    "method",
    "route",
    "path",
    "status",
    "duration_ms",
    "user_id",
    "task",
    "task_id",
    "state",
)


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(value: str | None) -> str | None:
    """The incoming id when it is safe to log and echo, else None."""
    if value and _SANE.fullmatch(value):
        return value
    return None


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request (or task) id on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # Django logs a 4xx/5xx response (`django.request`) after the middleware has
            # returned; such records carry the request itself.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", "") or request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, the request or
    task fields when present, and the exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        for key in FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(*, json_lines: bool, level: str = "INFO", requests: bool = True) -> dict:
    """The LOGGING setting: JSON lines (production) or plain lines (development), the
    request-id filter on the console handler, and the request log on or off."""
    formatter = (
        {"()": "woonoverlast.logs.JsonFormatter"}
        if json_lines
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "woonoverlast.logs.RequestIdFilter"}},
        "formatters": {"main": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "main",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "woonoverlast.request": {"level": "INFO" if requests else "WARNING"},
            # Celery's own "Task ... succeeded in ...s: <return value>" line may carry a
            # return value; our task line replaces it.
            "celery.app.trace": {"level": "WARNING"},
        },
    }


def _route(request: HttpRequest) -> tuple[str | None, str]:
    """(route name, route pattern) of the resolved view; (None, path) when unresolved."""
    health = getattr(request, "health_check", None)
    if health:
        return health, request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None, request.path
    return match.view_name or None, "/" + match.route


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, without loading the user when nothing did yet."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """Request id in, request id out, one line per request (see the module doc). First in
    MIDDLEWARE. Health probes are logged only when they fail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = sane_request_id(request.headers.get(HEADER)) or new_request_id()
        # Set for the request's thread or task until the next request sets its own; cleared
        # when the response is closed (`request_finished`, after Django's own error lines).
        request_id_var.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.monotonic()
        response = self.get_response(request)
        response[HEADER] = request_id
        if not (getattr(request, "health_check", None) and response.status_code == 200):
            route, path = _route(request)
            request_logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "route": route,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
        return response


@receiver(request_finished, dispatch_uid="woonoverlast-request-id-clear")
def _clear_request_id(**kwargs: Any) -> None:
    request_id_var.set("")


# --- Celery -------------------------------------------------------------------------------

TASK_HEADER = "woonoverlast_request_id"


def _before_publish(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


_task_started: dict[str, tuple[float, contextvars.Token[str]]] = {}


def _task_request_id(task: Any) -> str | None:
    request = getattr(task, "request", None)
    if request is None:
        return None
    value = getattr(request, TASK_HEADER, None)
    if value is None:
        headers = getattr(request, "headers", None) or {}
        value = headers.get(TASK_HEADER)
    return sane_request_id(value)


def _task_prerun(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    request_id = _task_request_id(task) or task_id or new_request_id()
    _task_started[task_id] = (time.monotonic(), request_id_var.set(request_id))


def _task_postrun(task_id: str = "", task: Any = None, state: str = "", **kwargs: Any) -> None:
    started, token = _task_started.pop(task_id, (time.monotonic(), None))
    task_logger.info(
        "task %s %s",
        getattr(task, "name", ""),
        state,
        extra={
            "task": getattr(task, "name", ""),
            "task_id": task_id,
            "state": state,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        },
    )
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # set in another context (a thread pool): leave it
            request_id_var.set("")


def connect_celery() -> None:
    """Connect the Celery signal handlers (idempotent: dispatch_uid)."""
    signals.before_task_publish.connect(_before_publish, dispatch_uid="woonoverlast-rid-pub")
    signals.task_prerun.connect(_task_prerun, dispatch_uid="woonoverlast-rid-pre")
    signals.task_postrun.connect(_task_postrun, dispatch_uid="woonoverlast-rid-post")
