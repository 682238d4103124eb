"""Notification e-mails: immediate or the daily digest (08:00, working days only), never
personal data, failures recorded. Task bodies run eagerly here; the retry path runs through
a real worker in test_worker.py."""

from __future__ import annotations

import datetime
import smtplib
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.core import mail
from django.utils import timezone

from cases import notifications as case_notifications
from notifications import mail as notification_mail
from notifications.choices import EmailMode, EmailState
from notifications.models import DeliveryFailure, Notification
from notifications.services import notify, preference_set
from notifications.tasks import EmailTask, send_daily_digests, send_digest
from partners.choices import Role
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # unit tests of the task bodies


@pytest.fixture
def digest_user(db):
    user = UserFactory()
    preference_set(user=user, email_mode=EmailMode.DIGEST)
    return user


def _notify(user, key, **kwargs):
    return notify(recipients=[user], event="assigned", key=key, url="/casussen/1/", **kwargs)


def _digest(day: str) -> int:
    mail.outbox.clear()
    return send_daily_digests.apply(kwargs={"day": day}).get()


# --- No personal data -------------------------------------------------------------------


def _case_with_personal_data():
    case = CaseFactory(
        number="WO-2026-0815",
        street="Kanaalstraat",
        house_number=77,
        postcode="3531CK",
    )
    ReferralFactory(case=case, description="Harde muziek van de familie Smit")
    PersonFactory(case=case, first_name="Jantine", last_name="Smitsma")
    return case


def test_no_personal_data_in_immediate_or_digest_mails(django_capture_on_commit_callbacks):
    """The causer's name, the address and the description never leave in an e-mail."""
    case = _case_with_personal_data()
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    digest_coordinator = UserFactory(roles=[Role.COORDINATOR])
    preference_set(user=digest_coordinator, email_mode=EmailMode.DIGEST)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert case_notifications.new_referral(case.pk) == 2
    immediate = list(mail.outbox)
    assert [m.to for m in immediate] == [[coordinator.email]]
    assert _digest("2026-11-27") == 1  # a Friday
    assert [m.to for m in mail.outbox] == [[digest_coordinator.email]]
    for message in immediate + list(mail.outbox):
        text = message.subject + "\n" + message.body
        assert "WO-2026-0815" in text
        assert f"http://127.0.0.1:8000/casussen/{case.pk}/intake/" in message.body
        for personal in ["Jantine", "Smitsma", "Smit", "Kanaalstraat", "77", "3531", "muziek"]:
            assert personal not in text
        assert message.attachments == []


# --- Immediate ---------------------------------------------------------------------------


def test_immediate_mail_is_sent_once_and_marked(django_capture_on_commit_callbacks):
    user = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user, "k1", case=CaseFactory(number="WO-2026-0001"))
        _notify(user, "k1")  # the same key again: no second mail
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Woonoverlast: Case assigned (WO-2026-0001)"
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.SENT
    assert notification.emailed_at is not None
    assert notification_mail.send_immediate(notification.pk) is False  # a redelivered task


def test_digest_users_get_no_immediate_mail(digest_user, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _notify(digest_user, "k1")
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.get().email_state == EmailState.DIGEST


def test_user_without_address_or_deactivated_gets_no_mail(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        _notify(user, "k1")
    user.is_active = False
    user.save()
    assert notification_mail.send_immediate(Notification.objects.get().pk) is False
    assert Notification.objects.get().email_state == EmailState.NONE


# --- The daily digest --------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, sends",
    [
        ("2026-04-24", True),  # Friday
        ("2026-04-25", False),  # Saturday
        ("2026-04-26", False),  # Sunday
        ("2026-04-27", False),  # King's Day (a Monday in 2026)
        ("2026-05-05", False),  # Liberation Day: every year a closing day (Termijnenwet)
        ("2026-04-03", True),  # Good Friday is a working day there
        ("2026-04-28", True),  # Tuesday after King's Day
    ],
)
def test_digest_goes_out_on_working_days_only(digest_user, day, sends):
    _notify(digest_user, "k1")
    assert _digest(day) == (1 if sends else 0)
    assert len(mail.outbox) == (1 if sends else 0)
    expected = EmailState.SENT if sends else EmailState.DIGEST
    assert Notification.objects.get().email_state == expected


def test_monday_digest_collects_the_weekend_in_one_mail(digest_user):
    _notify(digest_user, "friday")
    assert _digest("2026-11-27") == 1  # Friday 08:00
    _notify(digest_user, "friday-afternoon")
    _notify(digest_user, "saturday")
    assert _digest("2026-11-28") == 0
    _notify(digest_user, "sunday")
    assert _digest("2026-11-29") == 0
    assert _digest("2026-11-30") == 1  # Monday
    (message,) = mail.outbox
    assert message.to == [digest_user.email]
    assert message.body.count("http://127.0.0.1:8000/casussen/1/") == 3
    assert "(3)" in message.subject
    assert _digest("2026-11-30") == 0  # run twice: nothing twice
    assert mail.outbox == []


def test_digest_uses_the_date_in_amsterdam(digest_user, monkeypatch):
    """At 22:30 UTC on King's Day it is already Tuesday 00:30 in Amsterdam: a working day."""
    _notify(digest_user, "k1")
    tuesday_night = datetime.datetime(2026, 4, 27, 22, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: tuesday_night)
    mail.outbox.clear()
    assert send_daily_digests.apply().get() == 1


def test_digest_runs_at_08_00_amsterdam_also_after_the_dst_change(settings):
    from woonoverlast.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]
    assert entry["task"] == send_daily_digests.name
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"
    schedule: crontab = entry["schedule"]
    assert schedule.hour == {8} and schedule.minute == {0}
    # Saturday 28 March 2026 08:00 CET (07:00 UTC); the clocks go forward that night, so
    # the next run, Sunday 08:00 CEST, is 06:00 UTC: 23 hours later.
    last = datetime.datetime(2026, 3, 28, 8, 0, tzinfo=AMSTERDAM)
    now = last + datetime.timedelta(minutes=1)
    schedule = crontab(hour=8, minute=0, app=app, nowfun=lambda: now)
    remaining = schedule.remaining_estimate(last)
    assert now.astimezone(datetime.UTC) + remaining == datetime.datetime(
        2026, 3, 29, 6, 0, tzinfo=datetime.UTC
    )


def test_digest_failure_is_recorded_and_the_notifications_wait_for_the_next_one(
    digest_user, monkeypatch, caplog
):
    _notify(digest_user, "k1")
    _notify(digest_user, "k2")

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(notification_mail, "send_mail", broken)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notification_mail.send_digest(digest_user.pk)
    # What the task does after its last retry:
    task = send_digest
    task.on_failure(
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        "task-1",
        (digest_user.pk,),
        {},
        None,
    )
    failure = DeliveryFailure.objects.get()
    assert failure.kind == DeliveryFailure.Kind.DIGEST
    assert failure.recipient == digest_user
    assert failure.notification_count == 2
    assert "SMTPServerDisconnected" in failure.error
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"digest"}
    assert "notification email failed kind=digest" in caplog.text
    monkeypatch.undo()
    assert _digest("2026-11-30") == 1  # the next working day sends them


def test_email_tasks_retry_smtp_and_network_errors_with_backoff():
    from notifications.tasks import send_notification_email

    for task in (send_notification_email, send_digest):
        assert task.acks_late is True
        assert issubclass(smtplib.SMTPException, task.autoretry_for)
        assert issubclass(ConnectionRefusedError, task.autoretry_for)
        assert task.retry_backoff and task.retry_jitter
        assert task.max_retries >= 5
        assert isinstance(task, EmailTask)


def test_an_e_mail_whose_task_was_lost_is_queued_again(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """The broker was away when notify() queued it: the notification is shown, and the
    sweep sends its e-mail once its task can no longer be retrying."""
    from notifications import tasks

    user = UserFactory()

    def broker_away(*args, **kwargs):
        raise ConnectionError("broker away")

    monkeypatch.setattr(tasks.send_notification_email, "delay", broker_away)
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(user, "k1") == 1
    assert "notification email not queued" in caplog.text
    monkeypatch.undo()
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.QUEUED
    mail.outbox.clear()
    assert tasks.requeue_stuck_emails.apply().get() == 0  # too fresh: may still be retrying
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=31))
    assert tasks.requeue_stuck_emails.apply().get() == 1
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert Notification.objects.get().email_state == EmailState.SENT
    assert tasks.requeue_stuck_emails.apply().get() == 0
