"""The error page for an uncaught exception (`handler500`).

When the database cannot be reached (restarted, failing over, connections dropped), the
request gets 503 with a page saying so and `Retry-After`, instead of the general 500 page:
the application reconnects by itself on the next request (CONN_HEALTH_CHECKS), and every
write is one transaction, so what was being saved was saved completely or not at all
(docs/operations.md, "Faults"). Both pages render without a request and without the
database.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

RETRY_AFTER_SECONDS = 5


def database_unreachable(error: BaseException | None) -> bool:
    return isinstance(error, (OperationalError, InterfaceError))


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unreachable(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
