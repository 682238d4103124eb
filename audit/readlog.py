"""The read log (NEN 7513): who saw whose personal data, what, when, from where and why.

Written by the `access_*` functions of each app (`cases/access.py`: `access_case`, ...), never
by views: the access function that hands out the object also writes the row, with its basis.
This module is on the ground floor and knows nothing of cases: it takes case ids.

`record()` is one INSERT and reads nothing: the user, their organisation id and roles (cached
by `partners.access.roles_of` during the request's access checks), the client address and a
keyed hash of the session come from the request. `refused()` records a refused attempt.

The table is append-only (trigger in privacy/migrations/0002, where the table was created). Retention and erasure remove
the *detail* of rows about a person or case with `redact_for_person()` / `redact_for_case()`,
the only functions that set the privileged transaction setting the trigger checks. They keep
who read, when, on what basis and from where (the accountability of the professionals) and
replace whose data and which item with a tombstone (`redacted_at`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from partners.access import roles_of

from .models import ReadBasis, ReadLogEntry, ReadWhat, RefusedAccess

__all__ = [
    "Basis",
    "ReadBasis",
    "ReadWhat",
    "client_ip",
    "entries_for_person",
    "record",
    "record_many",
    "redact_for_case",
    "redact_for_person",
    "refused",
    "session_hash",
]


@dataclass(frozen=True)
class Basis:
    """On what basis a user saw something: the kind, and the written motivation where the
    kind needs one (an emergency access)."""

    kind: ReadBasis
    motivation: str = ""


REDACTION_SETTING = "woonoverlast.readlog_redaction"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = n the n-th address
    from the right of X-Forwarded-For (what the trusted proxies saw; the rest is spoofable)."""
    address = request.META.get("REMOTE_ADDR") or None
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    if address is None:
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def session_hash(request: HttpRequest) -> str:
    """A keyed hash of the session key: links reads of one session, reveals no session."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if not key:
        return ""
    return salted_hmac("privacy.readlog.session", key, algorithm="sha256").hexdigest()[:16]


def _who(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "user_id": user.pk,
        "organisation_id": getattr(user, "organisation_id", None),
        "roles": sorted(role.value for role in roles_of(user)),
        "path": request.path[:300],
        "ip_address": client_ip(request),
        "session_hash": session_hash(request),
    }


def record(
    request: HttpRequest,
    *,
    what: ReadWhat,
    basis: Basis,
    case_id: int | None = None,
    person_ids: Iterable[int] = (),
    object_id: int | None = None,
) -> ReadLogEntry:
    """Append one read-log row. One INSERT."""
    entry = ReadLogEntry(
        at=timezone.now(),
        **_who(request),
        case_id=case_id,
        person_ids=list(person_ids),
        what=what,
        object_id=object_id,
        basis=basis.kind,
        motivation=basis.motivation,
    )
    _insert(entry)
    return entry


def record_many(request: HttpRequest, *, what: ReadWhat, cases: Iterable[tuple[int, Basis]]) -> int:
    """Append one row per (case id, basis) a list or search result showed, in one multi-row
    INSERT (the caller names each basis: `cases.access.log_case_list`)."""
    common = {"at": timezone.now(), **_who(request), "what": what, "person_ids": []}
    entries = [
        ReadLogEntry(**common, case_id=case_id, basis=basis.kind, motivation=basis.motivation)
        for case_id, basis in cases
    ]
    if not entries:
        return 0
    if connection.in_atomic_block or getattr(settings, "READLOG_SYNCHRONOUS_COMMIT", False):
        ReadLogEntry.objects.bulk_create(entries)
    else:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # This transaction only: its commit need not wait for the WAL flush (ADR 0005).
                cursor.execute("SET LOCAL synchronous_commit = off")
            ReadLogEntry.objects.bulk_create(entries)
    return len(entries)


def refused(request: HttpRequest, *, case_id: int) -> None:
    """Record that the signed-in user asked for case `case_id` and was refused (404): who,
    when, which case id, nothing else. Anonymous requests never reach an access function."""
    if not request.user.is_authenticated:
        return
    RefusedAccess.objects.create(user_id=request.user.pk, case_id=case_id)


# One statement that also makes its own commit asynchronous: set_config(..., is_local=true)
# inside the INSERT applies to the statement's own (autocommit) transaction only.
_ASYNC_INSERT = f"""
    INSERT INTO {ReadLogEntry._meta.db_table}
        (at, user_id, organisation_id, roles, case_id, person_ids, what, object_id, path,
         ip_address, session_hash, basis, motivation)
    SELECT %s, %s, %s, %s::varchar(30)[], %s, %s::bigint[], %s, %s, %s, %s::inet, %s, %s, %s
    FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
    RETURNING id
"""  # noqa: S608 - the table name comes from the model, values are parameters


def _insert(entry: ReadLogEntry) -> None:
    """Append the row. Outside a transaction (a normal request) the commit does not wait
    for the WAL flush (`synchronous_commit = off` for this one statement): the flush is what
    a read-log row would otherwise add to the page (docs/adr/0005-read-log-and-history.md). Inside a
    transaction, or with READLOG_SYNCHRONOUS_COMMIT, a plain INSERT: the caller's commit
    decides, and the setting must not leak into the caller's other writes."""
    if connection.in_atomic_block or getattr(settings, "READLOG_SYNCHRONOUS_COMMIT", False):
        entry.save(force_insert=True)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _ASYNC_INSERT,
            [
                entry.at,
                entry.user_id,
                entry.organisation_id,
                entry.roles,
                entry.case_id,
                entry.person_ids,
                entry.what,
                entry.object_id,
                entry.path,
                entry.ip_address,
                entry.session_hash,
                entry.basis,
                entry.motivation,
            ],
        )
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False
    entry._state.db = connection.alias


# --- For the privacy-rights work: data-subject access, erasure, retention ----------------


def entries_for_person(*, person_id: int, case_id: int) -> QuerySet[ReadLogEntry]:
    """Every read of a person's data: rows naming the person, and reads of their case
    pages that list the case's persons. Newest first."""
    return ReadLogEntry.objects.filter(
        Q(person_ids__contains=[person_id]) | Q(case_id=case_id, what=ReadWhat.CASE_PAGE)
    ).order_by("-at", "-pk")


@contextmanager
def _privileged() -> Iterator[None]:
    """The trigger's escape hatch, for the block only: SET LOCAL on, and off again at its
    end, so it also ends inside a caller's longer transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [REDACTION_SETTING])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [REDACTION_SETTING])


@transaction.atomic
def redact_for_person(*, person_id: int) -> int:
    """Remove the person from the read log: their pk leaves `person_ids`, the row is marked.

    Who read, when, on what basis and from where stay. Returns the number of rows changed.
    Runs in its own (or the caller's) transaction; the privilege ends with it."""
    with _privileged(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ReadLogEntry._meta.db_table} "  # noqa: S608 - table name from the model
            "SET person_ids = array_remove(person_ids, %s), redacted_at = %s "
            "WHERE person_ids @> ARRAY[%s]::bigint[]",
            [person_id, timezone.now(), person_id],
        )
        return int(cursor.rowcount)


@transaction.atomic
def redact_for_case(*, case_id: int, detach: bool = False) -> int:
    """Remove the detail of every read of the case: persons, item and address become empty.

    With `detach=True` the rows also let go of the case itself (case becomes NULL), so the
    case row can be deleted; without it the rows keep counting as reads of that case."""
    rows = ReadLogEntry.objects.filter(case_id=case_id)
    changes: dict[str, Any] = {
        "person_ids": [],
        "object_id": None,
        "path": "",
        "motivation": "",
        "redacted_at": timezone.now(),
    }
    if detach:
        changes["case"] = None
    with _privileged():
        return QuerySet.update(rows, **changes)  # the guarded queryset refuses update()
