"""Notification e-mails: one per notification (immediate) or one a day (digest).

An e-mail holds the sentence of each notification (event + case number) and links behind
sign-in, nothing else: no names, no addresses, no reasons. It goes out in the installation's
language. Sending happens in Celery tasks (`notifications/tasks.py`) that retry on SMTP and
network errors; after the last retry `record_failure()` keeps a record for the functional
administrator and the notification itself stays readable in the application.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners.models import User

from .choices import EmailState, Event
from .domain.messages import render
from .models import DeliveryFailure, Notification

if TYPE_CHECKING:
    from partners.models import User

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def open_link(notification: Notification) -> str:
    """The link in an e-mail: the notification's page (behind sign-in), or the list."""
    return absolute(notification.url or reverse("notifications:list"))


def _can_receive(user: User) -> bool:
    return bool(user.is_active and user.email)


def _subject(notification: Notification) -> str:
    event = Event(notification.event).label
    number = notification.context.get("number")
    if number:
        return _("Woonoverlast: %(event)s (%(number)s)") % {"event": event, "number": number}
    return _("Woonoverlast: %(event)s") % {"event": event}


def send_immediate(notification_pk: int) -> bool:
    """Send the e-mail of one queued notification; False when there is nothing to send.

    The row stays locked while the message goes out, so a duplicate or redelivered task
    waits and then finds it sent. An SMTP or network error propagates (the task retries)
    and rolls back, leaving the notification queued.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_pk)
            .first()
        )
        if notification is None or notification.email_state != EmailState.QUEUED:
            return False
        user = notification.recipient
        if not _can_receive(user):
            notification.email_state = EmailState.NONE
            notification.save(update_fields=["email_state"])
            return False
        with translation.override(settings.LANGUAGE_CODE):
            subject = _subject(notification)
            body = render_to_string(
                "notifications/email/immediate.txt",
                {
                    "text": render(notification.event, notification.context),
                    "link": open_link(notification),
                    "settings_link": absolute(reverse("notifications:settings")),
                },
            )
        send_mail(subject, body, None, [user.email])
        notification.email_state = EmailState.SENT
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["email_state", "emailed_at"])
    logger.info("notification email sent notification=%s", notification_pk)
    return True


def send_digest(user_pk: int) -> int:
    """Send one e-mail with everything of this user that waits for the digest.

    Rows locked by a concurrent digest run are skipped (never sent twice); on an SMTP error
    everything rolls back and stays waiting. Returns how many notifications it held.
    """

    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=user_pk, email_state=EmailState.DIGEST)
            .order_by("created_at", "id")
        )
        if not items:
            return 0
        user = User.objects.get(pk=user_pk)
        pks = [item.pk for item in items]
        if not _can_receive(user):
            Notification.objects.filter(pk__in=pks).update(email_state=EmailState.NONE)
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Woonoverlast: your notifications of today (%(count)s)") % {
                "count": len(items)
            }
            body = render_to_string(
                "notifications/email/digest.txt",
                {
                    "items": [
                        {"text": render(item.event, item.context), "link": open_link(item)}
                        for item in items
                    ],
                    "list_link": absolute(reverse("notifications:list")),
                    "settings_link": absolute(reverse("notifications:settings")),
                },
            )
        send_mail(subject, body, None, [user.email])
        Notification.objects.filter(pk__in=pks).update(
            email_state=EmailState.SENT, emailed_at=timezone.now()
        )
    logger.info("notification digest sent user=%s notifications=%s", user_pk, len(items))
    return len(items)


def stuck_queued(*, older_than: datetime.timedelta, limit: int = 1000) -> list[int]:
    """Immediate e-mails still queued long after every retry of their task would have
    ended: the task was lost (broker away when it was queued). Oldest first."""
    return list(
        Notification.objects.filter(
            email_state=EmailState.QUEUED, created_at__lt=timezone.now() - older_than
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def pending_digest_recipients() -> list[int]:
    return list(
        Notification.objects.filter(email_state=EmailState.DIGEST)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def record_failure(
    *,
    kind: DeliveryFailure.Kind,
    recipient_pk: int | None,
    notification_pk: int | None,
    exc: BaseException,
    attempts: int,
    task_id: str = "",
) -> DeliveryFailure | None:
    """Keep the final failure for the administrator and log it (ids only, no content).

    An immediate e-mail's notification is marked failed; a digest's notifications stay
    waiting, so the next working day's digest tries them again.
    """
    error = f"{type(exc).__name__}: {exc}"[:500]
    with transaction.atomic():
        count = 1
        if kind == DeliveryFailure.Kind.IMMEDIATE and notification_pk is not None:
            notification = Notification.objects.filter(pk=notification_pk).first()
            if notification is None:
                return None
            recipient_pk = notification.recipient_id
            Notification.objects.filter(pk=notification_pk).update(email_state=EmailState.FAILED)
        elif recipient_pk is not None:
            count = Notification.objects.filter(
                recipient_id=recipient_pk, email_state=EmailState.DIGEST
            ).count()
        if recipient_pk is None:
            return None
        failure = DeliveryFailure.objects.create(
            recipient_id=recipient_pk,
            kind=kind,
            notification_id=notification_pk,
            notification_count=count,
            error=error,
            attempts=attempts,
            task_id=task_id or "",
        )
    logger.error(
        "notification email failed kind=%s recipient=%s notification=%s attempts=%s error=%s",
        kind,
        recipient_pk,
        notification_pk,
        attempts,
        type(exc).__name__,
    )
    return failure
