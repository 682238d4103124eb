"""notify(): one notification per (key, recipient), whoever calls it how often."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from notifications.choices import EmailMode, EmailState, Event
from notifications.domain.messages import ContextRefusedError
from notifications.models import Notification
from notifications.services import notify, preference_set
from tests.factories.cases import CaseFactory
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_one_per_recipient_and_counts_new_ones():
    a, b = UserFactory(), UserFactory()
    case = CaseFactory(number="WO-2026-0042")
    assert notify(recipients=[a, b], event=Event.NEW_REFERRAL, key="case:1:new", case=case) == 2
    assert notify(recipients=[a, b], event=Event.NEW_REFERRAL, key="case:1:new", case=case) == 0
    c = UserFactory()
    assert notify(recipients=[a, b, c], event=Event.NEW_REFERRAL, key="case:1:new") == 1
    assert Notification.objects.count() == 3
    assert Notification.objects.get(recipient=a).context == {"number": "WO-2026-0042"}


def test_same_recipient_twice_in_one_call_gives_one_row():
    a = UserFactory()
    assert notify(recipients=[a, a], event="assigned", key="k") == 1


def test_inactive_users_get_nothing():
    a = UserFactory(is_active=False)
    assert notify(recipients=[a], event="assigned", key="k") == 0


def test_email_state_follows_the_preference(django_capture_on_commit_callbacks):
    immediate, digest = UserFactory(), UserFactory()
    preference_set(user=digest, email_mode=EmailMode.DIGEST)
    with django_capture_on_commit_callbacks() as callbacks:
        notify(recipients=[immediate, digest], event="assigned", key="k")
    assert Notification.objects.get(recipient=immediate).email_state == EmailState.QUEUED
    assert Notification.objects.get(recipient=digest).email_state == EmailState.DIGEST
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    "bad_context", [{"name": "Jan Jansen"}, {"number": object()}, {"network": "x" * 101}]
)
def test_context_refuses_personal_data_and_odd_values(bad_context):
    with pytest.raises(ContextRefusedError):
        notify(recipients=[UserFactory()], event="assigned", key="k", context=bad_context)
    assert not Notification.objects.exists()


def test_link_must_stay_inside_the_application():
    with pytest.raises(ValueError):
        notify(recipients=[UserFactory()], event="assigned", key="k", url="https://evil.test/")


@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_in_threads_create_one_row():
    """Two callers at the same moment, each in its own connection and transaction."""
    users = [UserFactory() for _ in range(5)]
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def call() -> None:
        from django.db import transaction

        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                results.append(notify(recipients=users, event="deadline_overdue", key="d:1"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert sorted(results) == [0, 5]
    assert Notification.objects.filter(key="d:1").count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_at_once_send_each_notification_once(settings):
    """Two workers sending the same user's digest at the same moment: one mail with both
    notifications (the second run skips the rows the first holds)."""
    from django.core import mail

    from notifications import mail as notification_mail

    user = UserFactory()
    preference_set(user=user, email_mode=EmailMode.DIGEST)
    notify(recipients=[user], event="assigned", key="a")
    notify(recipients=[user], event="assigned", key="b")
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    real_send = notification_mail.send_mail
    results: list[int] = []

    def slow_send(*args, **kwargs):
        barrier.wait(timeout=10)  # the other run has started and found its rows (or none)
        return real_send(*args, **kwargs)

    def run() -> None:
        try:
            results.append(notification_mail.send_digest(user.pk))
        finally:
            connection.close()

    notification_mail.send_mail = slow_send
    try:
        first = threading.Thread(target=run)
        first.start()
        # The second run starts while the first holds the rows, then lets the first send.
        time_left = 50
        while first.is_alive() and not barrier.n_waiting and time_left:
            threading.Event().wait(0.1)
            time_left -= 1
        results.append(notification_mail.send_digest(user.pk))
        barrier.wait(timeout=10)
        first.join(timeout=30)
    finally:
        notification_mail.send_mail = real_send
    assert sorted(results) == [0, 2]
    assert len(mail.outbox) == 1
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}
