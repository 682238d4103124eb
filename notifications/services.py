"""Every write on notifications: create them (idempotently), mark them read, preferences.

`notify()` is the one entry point for every feature that tells users something (cases,
deadlines, meetings). It is safe to call twice, from two processes at once, or from a
retried task: a unique constraint on (key, recipient) and ``INSERT … ON CONFLICT DO
NOTHING`` make sure each user gets each notification once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .choices import EmailMode, EmailState, Event
from .domain.messages import clean_context
from .models import Notification, NotificationPreference

if TYPE_CHECKING:
    from cases.models import Case
    from partners.models import User

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
    event = Event(event)
    if not key or len(key) > 200:
        raise ValueError("A notification needs a key of at most 200 characters")
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError("A notification links to a path inside the application")
    ctx = clean_context(context)
    if case is not None and case.number:
        ctx.setdefault("number", case.number)

    users = {user.pk: user for user in recipients if user.is_active}
    if not users:
        return 0
    modes = dict(
        NotificationPreference.objects.filter(user_id__in=users).values_list(
            "user_id", "email_mode"
        )
    )
    now = timezone.now()
    context_json = json.dumps(ctx, cls=DjangoJSONEncoder)
    rows: list[Any] = []
    for pk in sorted(users):  # a fixed order: concurrent inserts lock in the same order
        if not users[pk].email:
            state = EmailState.NONE
        elif modes.get(pk, DEFAULT_EMAIL_MODE) == EmailMode.IMMEDIATE:
            state = EmailState.QUEUED
        else:
            state = EmailState.DIGEST
        rows.extend(
            [pk, event.value, key, case.pk if case else None, url, context_json, now, state]
        )

    table = connection.ops.quote_name(Notification._meta.db_table)
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s::jsonb, %s, %s)"] * len(users))
    sql = (
        f"INSERT INTO {table} "  # noqa: S608 - the table name is ours, values are parameters
        "(recipient_id, event, key, case_id, url, context, created_at, email_state) "
        f"VALUES {placeholders} "
        "ON CONFLICT (key, recipient_id) DO NOTHING "
        "RETURNING id, email_state"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, rows)
        created = cursor.fetchall()

    queued = [pk for pk, state in created if state == EmailState.QUEUED]
    if queued:
        from .tasks import send_notification_email

        def _queue() -> None:
            for pk in queued:
                send_notification_email.delay(pk)

        transaction.on_commit(_queue)
    return len(created)


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
