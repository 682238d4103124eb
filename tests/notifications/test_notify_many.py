"""notify_many(): the batched form of notify() the deadline scan uses."""

from __future__ import annotations

import pytest

from notifications.choices import EmailMode, EmailState
from notifications.models import Notification
from notifications.services import Message, notify_many, preference_set
from tests.factories.cases import CaseFactory
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db


def test_many_keys_in_one_call_each_once_per_recipient(django_capture_on_commit_callbacks):
    a, b, inactive = UserFactory(), UserFactory(), UserFactory(is_active=False)
    preference_set(user=b, email_mode=EmailMode.DIGEST)
    case = CaseFactory(number="WO-2026-0007")
    messages = [
        Message(recipients=(a, b, inactive), event="deadline_overdue", key="d:1", case=case),
        Message(recipients=(a,), event="deadline_due_soon", key="d:2", context={"due": "x"}),
        Message(recipients=(a,), event="deadline_due_soon", key="d:2"),  # same key again
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        assert notify_many(messages) == 3
    assert notify_many(messages) == 0
    rows = {(n.key, n.recipient_id): n for n in Notification.objects.all()}
    assert set(rows) == {("d:1", a.pk), ("d:1", b.pk), ("d:2", a.pk)}
    assert rows["d:1", a.pk].context == {"number": "WO-2026-0007"}
    assert rows["d:1", a.pk].case_id == case.pk
    assert rows["d:2", a.pk].context == {"due": "x"}  # the first message of a key wins
    assert rows["d:1", b.pk].email_state == EmailState.DIGEST
    assert rows["d:1", a.pk].email_state == EmailState.QUEUED
    assert len(callbacks) == 1  # one on-commit hook queues the immediate e-mails


def test_more_rows_than_one_statement_holds(monkeypatch):
    from notifications import services

    monkeypatch.setattr(services, "INSERT_CHUNK", 3)
    users = [UserFactory() for _ in range(4)]
    messages = [Message(recipients=tuple(users), event="assigned", key=f"k{n}") for n in range(2)]
    assert notify_many(messages) == 8
    assert notify_many(messages) == 0


def test_nothing_to_tell_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notify_many([Message(recipients=(), event="assigned", key="k")]) == 0
