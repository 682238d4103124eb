"""Every write on notifications: create them (idempotently), mark them read, preferences.

`notify()` is the one entry point for every feature that tells users something (cases,
deadlines, meetings). It is safe to call twice, from two processes at once, or from a
retried task: a unique constraint on (key, recipient) and ``INSERT … ON CONFLICT DO
NOTHING`` make sure each user gets each notification once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .choices import EmailMode, EmailState, Event
from .domain.messages import clean_context
from .models import Notification, NotificationPreference
from .tasks import send_notification_email

if TYPE_CHECKING:
    from cases.models import Case
    from partners.models import User

logger = logging.getLogger(__name__)

DEFAULT_EMAIL_MODE = EmailMode.IMMEDIATE


def email_mode_of(user: User) -> EmailMode:
    pref = NotificationPreference.objects.filter(user=user).only("email_mode").first()
    return EmailMode(pref.email_mode) if pref else DEFAULT_EMAIL_MODE


def notify(
    *,
    recipients: Iterable[User],
    event: str,
    key: str,
    case: Case | None = None,
    url: str = "",
    context: Mapping[str, Any] | None = None,
) -> int:
    """Create the notification `key` for each recipient that does not have it yet.

    Returns how many were new. Inactive users are skipped. For the new ones whose
    recipient chose immediate e-mail, one e-mail task each is queued after commit; the
    others wait for the daily digest. ``url`` is a path inside the application.
    """
    return notify_many(
        [
            Message(
                recipients=tuple(recipients),
                event=event,
                key=key,
                case=case,
                url=url,
                context=context,
            )
        ]
    )


class CaseRef(Protocol):
    """What a notification keeps of its case: a `Case`, or a lighter object with the same
    two attributes (the deadline scan reads them as plain values)."""

    @property
    def pk(self) -> Any: ...

    @property
    def number(self) -> str: ...


@dataclass(frozen=True)
class Message:
    """One notification (one key) for several recipients: the arguments of `notify()`."""

    recipients: tuple[User, ...]
    event: str
    key: str
    case: Case | CaseRef | None = None
    url: str = ""
    context: Mapping[str, Any] | None = field(default=None)


# Rows per INSERT statement.
INSERT_CHUNK = 5000


def notify_many(messages: Iterable[Message]) -> int:
    """`notify()` for many keys at once: one preference query and one INSERT … ON CONFLICT
    DO NOTHING per 5,000 rows, for callers that tell a lot at once (the deadline scan).
    Same guarantees: each (key, recipient) once, e-mail queued after commit. Returns how
    many were new."""
    now = timezone.now()
    # (key, recipient) -> (event, case, url, context); the first message of a key wins.
    prepared: dict[tuple[str, int], tuple[str, int | None, str, dict[str, str | int]]] = {}
    users: dict[int, User] = {}
    for message in messages:
        event = Event(message.event).value
        key = message.key
        if not key or len(key) > 200:
            raise ValueError("A notification needs a key of at most 200 characters")
        url = message.url
        if url and (not url.startswith("/") or url.startswith("//")):
            raise ValueError("A notification links to a path inside the application")
        ctx = clean_context(message.context)
        case = message.case
        if case is not None and case.number:
            ctx.setdefault("number", case.number)
        row = (event, case.pk if case else None, url, ctx)
        for user in message.recipients:
            if user.is_active:
                users[user.pk] = user
                prepared.setdefault((key, user.pk), row)
    if not prepared:
        return 0
    modes = dict(
        NotificationPreference.objects.filter(user_id__in=users).values_list(
            "user_id", "email_mode"
        )
    )
    states: dict[int, str] = {}
    for pk, user in users.items():
        if not user.email:
            states[pk] = EmailState.NONE.value
        elif modes.get(pk, DEFAULT_EMAIL_MODE) == EmailMode.IMMEDIATE:
            states[pk] = EmailState.QUEUED.value
        else:
            states[pk] = EmailState.DIGEST.value
    # A fixed order (key, then recipient): concurrent inserts lock in the same order.
    rows = [
        {"r": pk, "e": event, "k": key, "c": case_pk, "u": url, "x": ctx, "s": states[pk]}
        for (key, pk), (event, case_pk, url, ctx) in sorted(prepared.items())
    ]

    table = connection.ops.quote_name(Notification._meta.db_table)
    # One statement per chunk whose rows travel as one JSON document (json_to_recordset
    # keeps the order): neither thousands of placeholders, nor thousands of round trips,
    # nor a Python-side adaptation of every value. It answers one row: how many were new,
    # and which of those wait for an immediate e-mail.
    sql = (
        "WITH created AS ("  # noqa: S608 - the table name is ours, values are parameters
        f"INSERT INTO {table} "
        "(recipient_id, event, key, case_id, url, context, created_at, email_state) "
        "SELECT r, e, k, c, u, x, %s, s FROM json_to_recordset(%s::json) "
        "AS v(r bigint, e text, k text, c bigint, u text, x jsonb, s text) "
        "ON CONFLICT (key, recipient_id) DO NOTHING "
        "RETURNING id, email_state) "
        "SELECT count(*), array_agg(id ORDER BY id) FILTER (WHERE email_state = %s) "
        "FROM created"
    )
    count = 0
    queued: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            document = json.dumps(rows[start : start + INSERT_CHUNK], cls=DjangoJSONEncoder)
            cursor.execute(sql, [now, document, EmailState.QUEUED.value])
            new_rows, new_queued = cursor.fetchone()
            count += new_rows
            queued.extend(new_queued or ())

    if queued:

        def _queue() -> None:
            try:
                for pk in queued:
                    send_notification_email.delay(pk)
            except Exception:
                # The broker is away. The notifications are committed and shown; their
                # e-mail stays queued and `requeue_stuck_emails` (beat) sends it later.
                logger.exception("notification email not queued notifications=%s", len(queued))

        transaction.on_commit(_queue)
    return count


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of the user's own notifications read (again: no change)."""
    if notification.recipient_id != by.pk:
        raise PermissionError("Only the recipient marks a notification read")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notification_mark_all_read(*, by: User) -> int:
    """Mark every unread notification of the user read; how many changed."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user: User, email_mode: EmailMode | str) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_mode": EmailMode(email_mode)}
    )
    return pref
