"""Who changed what: the actor of every history row (django-simple-history).

Web requests: `simple_history.middleware.HistoryRequestMiddleware` puts the request in
`HistoricalRecords.context`, so every save in a request records the signed-in user; services
also set `instance._history_user = by` explicitly.

Outside a request (Celery tasks, management commands, the shell) there is no user. Such
changes are recorded as the **system actor**: an inactive account without a usable
password, named "Systeem (taak)", created on demand. Celery tasks run inside
`system_actor()` (hooked up in `privacy/apps.py` through Celery's task signals) and their
history rows carry the task name as change reason; anything else that saves without a user
falls back to the system actor through the `pre_create_historical_record` signal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.db import IntegrityError, transaction
from simple_history.models import HistoricalRecords

from partners.models import User

SYSTEM_EMAIL = "systeem@woonoverlast.invalid"
SYSTEM_FIRST_NAME = "Systeem"
SYSTEM_LAST_NAME = "(taak)"

# Saving only these fields of a user (sign-in, password change) writes no history row:
# they are excluded from the user's history, so the row would only be noise.
USER_NOISE_FIELDS = frozenset({"password", "last_login"})


def system_user() -> Any:
    """The system actor, created on demand (inactive, unusable password, no roles)."""

    user = User.objects.filter(email=SYSTEM_EMAIL).first()
    if user is None:
        user = User(
            email=SYSTEM_EMAIL,
            first_name=SYSTEM_FIRST_NAME,
            last_name=SYSTEM_LAST_NAME,
            is_active=False,
        )
        user.set_unusable_password()
        user.skip_history_when_saving = True  # type: ignore[attr-defined]
        try:
            with transaction.atomic():  # two workers at once: the second one reads it
                user.save()  # the post_save hook in privacy/apps.py clears the flag again
        except IntegrityError:
            user = User.objects.get(email=SYSTEM_EMAIL)
    return user


def is_system_user(user: Any) -> bool:
    return getattr(user, "email", None) == SYSTEM_EMAIL


class _SystemRequest:
    """Stands in for a request in simple-history's context: only `.user` is read, and the
    system user is looked up only when a history row is written."""

    def __init__(self, reason: str) -> None:
        self.history_reason = reason
        self._user: Any = None

    @property
    def user(self) -> Any:
        if self._user is None:
            self._user = system_user()
        return self._user


@contextmanager
def system_actor(reason: str = "") -> Iterator[_SystemRequest]:
    """Record every change inside the block as made by the system actor.

    `reason` (e.g. the task or command name) becomes the change reason of each history row.
    Nested use and an enclosing web request are restored afterwards."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    stand_in = _SystemRequest(reason)
    context.request = stand_in
    try:
        yield stand_in
    finally:
        if previous is None:
            with suppress(AttributeError):
                del context.request
        else:
            context.request = previous


def fill_in_actor(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """`pre_create_historical_record`: never a history row without an actor outside requests.

    In a web request without a signed-in user (password reset) the row keeps no user: the
    request's address and path are in the server log. Everywhere else: the system actor."""
    request = getattr(HistoricalRecords.context, "request", None)
    if isinstance(request, _SystemRequest):
        if request.history_reason and not history_instance.history_change_reason:
            history_instance.history_change_reason = request.history_reason[:100]
        return
    if history_instance.history_user_id is not None or request is not None:
        return
    history_instance.history_user = system_user()


def skip_user_noise(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """`pre_save` of User: a save of only last_login/password writes no history row."""
    if update_fields and set(update_fields) <= USER_NOISE_FIELDS:
        instance.skip_history_when_saving = True


def end_skip_user_noise(sender: Any, instance: Any, **kwargs: Any) -> None:
    """`post_save` of User (connected after simple-history's): clear the flag again."""
    instance.__dict__.pop("skip_history_when_saving", None)


# --- Celery: every task runs as the system actor ---------------------------------------

_task_contexts: dict[str, Any] = {}


def task_started(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    if task_id is None:
        return
    manager = system_actor(f"task {getattr(task, 'name', '')}".strip())
    manager.__enter__()
    _task_contexts[task_id] = manager


def task_finished(task_id: str | None = None, **kwargs: Any) -> None:
    manager = _task_contexts.pop(task_id or "", None)
    if manager is not None:
        manager.__exit__(None, None, None)


# --- Which tables with personal data keep no simple-history, and why ---------------------
#
# tests/privacy/test_history_coverage.py: every model in `privacy.register.PERSONAL_DATA`
# has django-simple-history, or is listed here with the reason. A new table with personal
# data therefore needs a history or a reason.
WITHOUT_HISTORY: dict[str, str] = {
    "cases.CaseStatusChange": "Itself the append-only record of a decision: who, when, from, to, why.",
    "audit.ReadLogEntry": "Append-only (database trigger); only retention redacts its detail.",
    "audit.RefusedAccess": "Append-only: who asked for which case id, when; never changed.",
    "privacy.ExportReview": "Each review is a new row (who, when, what was withheld); never changed.",
    "cases.EmergencyAccess": "Never changed after it is granted; it expires by its own field.",
    "privacy.DataSubjectRequest": (
        "Dated fields of the request itself (received, decided, extended with reason); "
        "the data-subject-request work decides on a history of its own."
    ),
    "notifications.Notification": "A professional's own message (case number and link only).",
    "notifications.NotificationPreference": "A professional's own mail preference.",
    "notifications.DeliveryFailure": "Technical log of failed e-mail deliveries.",
    "meetings.MeetingDocument": (
        "A cache of a printed agenda or minutes, made again from the (historied) meeting "
        "whenever its content changes."
    ),
    "early_signals.SignalNote": (
        "Append-only: the coordinator's note or advice on a signal is never changed (a new "
        "note corrects an earlier one); it goes with its signal."
    ),
}
