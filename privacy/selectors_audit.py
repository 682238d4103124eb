"""Reads of the read log for the privacy officer: by user, by case, unusual access.

Every function returns a queryset (or one raw query) with what the pages and CSV exports
show joined in, so a page of rows is a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from audit.models import ReadBasis, ReadLogEntry, RefusedAccess
from partners.models import User

# Reads on these bases are the user's own work: the case team and the referrer's own draft.
# Everything else (an involved organisation, an emergency access, ...) counts as "outside
# their own case team" for the unusual-access check.
OWN_WORK = (
    ReadBasis.COORDINATOR,
    ReadBasis.CASEMANAGER,
    ReadBasis.REFERRER,
    ReadBasis.PRIVACY_AUDIT,
)


def _rows() -> QuerySet[ReadLogEntry]:
    return ReadLogEntry.objects.select_related("user", "organisation", "case")


def reads_by_user(*, user_id: int) -> QuerySet[ReadLogEntry]:
    return _rows().filter(user_id=user_id).order_by("-at", "-pk")


def reads_of_case(*, case_id: int) -> QuerySet[ReadLogEntry]:
    return _rows().filter(case_id=case_id).order_by("-at", "-pk")


def emergency_reads(*, since: datetime.datetime) -> QuerySet[ReadLogEntry]:
    return _rows().filter(basis=ReadBasis.EMERGENCY, at__gte=since).order_by("-at", "-pk")


def refused_attempts(*, since: datetime.datetime) -> QuerySet[RefusedAccess]:
    """Signed-in users refused a case they asked for (404), newest first: who, when, which
    case id. The case id is shown as asked, even when no such case exists."""
    return (
        RefusedAccess.objects.select_related("user", "user__organisation")
        .filter(at__gte=since)
        .order_by("-at", "-pk")
    )


@dataclass(frozen=True)
class UnusualAccess:
    user: Any
    peak_cases: int  # most distinct cases opened within one window
    first_at: datetime.datetime  # the first moment the threshold was passed
    last_at: datetime.datetime


def unusual_access(
    *,
    since: datetime.datetime,
    cases: int | None = None,
    minutes: int | None = None,
) -> list[UnusualAccess]:
    """Users who opened more than `cases` distinct cases outside their own work within any
    `minutes`-long window since `since`. One query (a self-join on the (user, at) index),
    plus one for the users found."""

    cases = settings.UNUSUAL_ACCESS_CASES if cases is None else cases
    minutes = settings.UNUSUAL_ACCESS_MINUTES if minutes is None else minutes
    table = ReadLogEntry._meta.db_table
    own = [str(b) for b in OWN_WORK]
    sql = f"""
        SELECT user_id, max(n) AS peak, min(at) AS first_at, max(at) AS last_at
        FROM (
            SELECT a.user_id, a.at, count(DISTINCT b.case_id) AS n
            FROM {table} a
            JOIN {table} b
              ON b.user_id = a.user_id
             AND b.at > a.at - make_interval(mins => %s)
             AND b.at <= a.at
             AND b.case_id IS NOT NULL
             AND NOT (b.basis = ANY(%s))
            WHERE a.at >= %s AND a.case_id IS NOT NULL AND NOT (a.basis = ANY(%s))
            GROUP BY a.user_id, a.id, a.at
        ) windows
        WHERE n > %s
        GROUP BY user_id
        ORDER BY peak DESC, user_id
    """  # noqa: S608 - the table name comes from the model, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [minutes, own, since, own, cases])
        found = cursor.fetchall()
    users = User.objects.select_related("organisation").in_bulk([row[0] for row in found])
    return [
        UnusualAccess(user=users[user_id], peak_cases=peak, first_at=first, last_at=last)
        for user_id, peak, first, last in found
        if user_id in users
    ]


def default_since(days: int = 30) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
