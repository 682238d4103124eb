"""The bell, the list, marking read (htmx and plain POST), preferences, the failures page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from notifications.choices import EmailMode
from notifications.models import DeliveryFailure, Notification, NotificationPreference
from partners.choices import Role
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
LIST = reverse("notifications:list")


def _badge(html: str) -> str | None:
    match = re.search(r'class="wo-bell__badge" aria-hidden="true">(\d+)<', html)
    return match.group(1) if match else None


def test_bell_in_the_header_shows_the_unread_count(verified_client, someone, make_notifications):
    make_notifications(someone, 3)
    html = verified_client(someone).get(reverse("dashboard")).content.decode()
    assert _badge(html) == "3"
    assert "(3 unread)" in html  # the link's accessible name carries the count
    assert 'role="status"' in html
    assert 'hx-trigger="every 60s' in html


def test_bell_without_unread_has_no_badge(verified_client, someone):
    html = verified_client(someone).get(reverse("dashboard")).content.decode()
    assert _badge(html) is None
    assert "(none unread)" in html


def test_mark_all_as_read_is_offered_only_while_something_is_unread(
    verified_client, someone, make_notifications
):
    client = verified_client(someone)
    make_notifications(someone, 1)
    html = client.get(LIST).content.decode()
    assert "Mark all as read" in html
    assert _badge(html) == "1"  # the bell shows the count the list page took
    # Marked with htmx, the list comes back without the button.
    response = client.post(reverse("notifications:mark_all_read"), {"page": "1"}, **HTMX)
    assert "Mark all as read" not in response.content.decode()
    html = client.get(LIST).content.decode()
    assert "Mark all as read" not in html
    assert _badge(html) is None


def test_list_shows_newest_first_and_marks_unread(verified_client, someone, make_notifications):
    first, second = make_notifications(someone, 2)
    Notification.objects.filter(case=first).update(read_at="2026-01-01T00:00Z")
    html = verified_client(someone).get(LIST).content.decode()
    assert html.index(second.number) < html.index(first.number)
    assert html.count("wo-notification--unread") == 1
    assert f"A new referral {second.number} has been received." in html


def test_list_paginates(verified_client, someone, make_notifications):
    make_notifications(someone, 25)
    client = verified_client(someone)
    assert client.get(LIST).content.decode().count('<li class="wo-notification') == 20
    assert client.get(LIST + "?page=2").content.decode().count('<li class="wo-notification') == 5


def test_htmx_mark_read_returns_the_item_and_the_new_count(
    verified_client, someone, make_notifications
):
    make_notifications(someone, 2)
    notification = Notification.objects.filter(recipient=someone).first()
    response = verified_client(someone).post(
        reverse("notifications:mark_read", args=[notification.pk]), **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html
    assert "wo-notification--unread" not in html
    assert 'id="notification-bell-count" data-hx-swap-oob="innerHTML"' in html
    assert _badge(html) == "1"
    assert "You have 1 unread notification." in html
    assert "<html" not in html  # a partial, no page reload
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_plain_post_mark_read_redirects_without_javascript(
    verified_client, someone, make_notifications
):
    make_notifications(someone)
    notification = Notification.objects.get(recipient=someone)
    response = verified_client(someone).post(
        reverse("notifications:mark_read", args=[notification.pk]), {"next": LIST + "?page=1"}
    )
    assert response.status_code == 302
    assert response.url == LIST + "?page=1"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_ignores_an_outside_next(verified_client, someone, make_notifications):
    make_notifications(someone)
    notification = Notification.objects.get(recipient=someone)
    response = verified_client(someone).post(
        reverse("notifications:mark_read", args=[notification.pk]),
        {"next": "https://evil.example/"},
    )
    assert response.url == LIST


def test_mark_all_read_with_htmx_and_without(verified_client, someone, make_notifications):
    make_notifications(someone, 3)
    client = verified_client(someone)
    response = client.post(reverse("notifications:mark_all_read"), {"page": "1"}, **HTMX)
    html = response.content.decode()
    assert "wo-notification--unread" not in html
    assert "You have no unread notifications." in html
    assert _badge(html) is None
    assert not Notification.objects.filter(recipient=someone, read_at__isnull=True).exists()
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302


def test_someone_elses_notification_is_404_and_stays_unread(
    verified_client, someone, make_notifications
):
    make_notifications(someone)
    notification = Notification.objects.get(recipient=someone)
    client = verified_client(UserFactory())
    for response in [
        client.post(reverse("notifications:mark_read", args=[notification.pk]), **HTMX),
        client.post(reverse("notifications:mark_read", args=[notification.pk])),
        client.get(reverse("notifications:open", args=[notification.pk])),
    ]:
        assert response.status_code == 404
    client.post(reverse("notifications:mark_all_read"))
    notification.refresh_from_db()
    assert notification.read_at is None
    assert notification.case.number not in client.get(LIST).content.decode()


def test_mark_read_needs_post(verified_client, someone, make_notifications):
    make_notifications(someone)
    notification = Notification.objects.get(recipient=someone)
    url = reverse("notifications:mark_read", args=[notification.pk])
    assert verified_client(someone).get(url).status_code == 405


def test_opening_marks_read_and_goes_to_the_link(verified_client, someone, make_notifications):
    (case,) = make_notifications(someone)
    notification = Notification.objects.get(recipient=someone)
    response = verified_client(someone).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == f"/casussen/{case.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_anonymous_is_sent_to_sign_in(client, someone, make_notifications):
    make_notifications(someone)
    pk = Notification.objects.get().pk
    for url in [
        LIST,
        reverse("notifications:bell"),
        reverse("notifications:settings"),
        reverse("notifications:open", args=[pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login/" in response.url
    assert client.post(reverse("notifications:mark_read", args=[pk])).status_code == 302
    assert Notification.objects.get().read_at is None


def test_bell_poll_answers_204_when_unchanged_and_the_count_when_changed(
    verified_client, someone, make_notifications
):
    make_notifications(someone, 2)
    client = verified_client(someone)
    url = reverse("notifications:bell")
    assert client.get(url, {"shown": "2"}, **HTMX).status_code == 204
    make_notifications(someone)
    response = client.get(url, {"shown": "2"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert _badge(html) == "3"
    assert "You have 3 unread notifications." in html
    assert 'id="notification-bell-shown" value="3"' in html
    # Rubbish for "shown" is not an error: it counts as changed.
    assert client.get(url, {"shown": "<script>"}, **HTMX).status_code == 200


def test_settings_page_saves_the_choice(verified_client, someone):
    client = verified_client(someone)
    url = reverse("notifications:settings")
    html = client.get(url).content.decode()
    assert 'value="immediate"' in html and "checked" in html
    response = client.post(url, {"email_mode": EmailMode.DIGEST})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=someone).email_mode == EmailMode.DIGEST


def test_settings_page_refuses_an_unknown_choice_with_an_error(verified_client, someone):
    response = verified_client(someone).post(
        reverse("notifications:settings"), {"email_mode": "hourly"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email_mode"]
    assert not NotificationPreference.objects.exists()


def test_failures_page_is_for_the_functional_administrator(
    verified_client, functional_admin, someone, make_notifications
):
    make_notifications(someone)
    notification = Notification.objects.get()
    DeliveryFailure.objects.create(
        recipient=someone,
        kind=DeliveryFailure.Kind.IMMEDIATE,
        notification=notification,
        error="SMTPServerDisconnected: Connection unexpectedly closed",
        attempts=9,
    )
    url = reverse("notifications_admin:failures")
    html = verified_client(functional_admin).get(url).content.decode()
    assert someone.email in html
    assert "SMTPServerDisconnected" in html
    assert notification.case.number in html
    assert 'aria-current="page"' in html  # its place in the administration navigation
    other = UserFactory(roles=[Role.COORDINATOR])
    assert verified_client(other).get(url).status_code == 403


def test_administration_navigation_links_to_the_failures_page(verified_client, functional_admin):
    html = verified_client(functional_admin).get(reverse("partners:user_list")).content.decode()
    assert reverse("notifications_admin:failures") in html


# --- Query budgets: the same with 1 and with 50 ------------------------------------------


@pytest.mark.parametrize("count", [1, 50])
def test_list_page_query_budget(
    verified_client, someone, make_notifications, django_assert_max_num_queries, count
):
    make_notifications(someone, count)
    client = verified_client(someone)
    # session, user, device, permissions (2), roles, organisation, bell, page count, page,
    # and the session's save (3 with its savepoint): 13, whatever the number of rows
    with django_assert_max_num_queries(13):
        response = client.get(LIST)
    assert response.content.decode().count('<li class="wo-notification') == min(count, 20)


@pytest.mark.parametrize("count", [1, 50])
def test_page_with_the_bell_pays_one_query_for_it(
    verified_client, someone, make_notifications, django_assert_max_num_queries, count
):
    """The bell on any page: one COUNT, the same with 1 and with 50 unread."""
    make_notifications(someone, count)
    client = verified_client(someone)
    client.get(reverse("dashboard"))  # warm up the session
    with django_assert_max_num_queries(30) as queries:
        html = client.get(reverse("dashboard")).content.decode()
    assert _badge(html) == str(count)
    bell = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(bell) == 1
    assert bell[0].startswith("SELECT COUNT(*)")
    assert "read_at" in bell[0] and "IS NULL" in bell[0]


def test_bell_count_uses_the_partial_index(someone, make_notifications):
    """With many rows the planner picks the small partial index on unread per recipient."""
    from django.db import connection

    make_notifications(someone, 5)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT COUNT(*) FROM notifications_notification "
            "WHERE recipient_id = %s AND read_at IS NULL",
            [someone.pk],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notification_unread_idx" in plan


@pytest.mark.parametrize("count", [1, 50])
def test_failures_page_query_budget(
    verified_client, functional_admin, make_notifications, django_assert_max_num_queries, count
):
    for _ in range(count):
        user = UserFactory()
        make_notifications(user)
        DeliveryFailure.objects.create(
            recipient=user,
            kind=DeliveryFailure.Kind.IMMEDIATE,
            notification=Notification.objects.get(recipient=user),
            error="SMTPRecipientsRefused",
        )
    client = verified_client(functional_admin)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("notifications_admin:failures"))
    assert response.content.decode().count("SMTPRecipientsRefused") == count


def test_bell_poll_does_not_keep_an_idle_session_alive(verified_client, someone):
    """Sessions end after SESSION_IDLE_TIMEOUT without activity; the poll every 60 s is no
    activity, so it must not renew the session (a page view does)."""
    from django.contrib.sessions.models import Session

    client = verified_client(someone)
    key = client.session.session_key

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    before = expiry()
    response = client.get(reverse("notifications:bell"), {"shown": "5"}, **HTMX)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert expiry() == before
    client.get(LIST)
    assert expiry() > before  # a real page view does renew it


def test_bell_is_marked_current_on_the_list_page(verified_client, someone):
    client = verified_client(someone)
    assert (
        'wo-bell__link" href="/meldingen/" aria-current="page"' in client.get(LIST).content.decode()
    )
    assert (
        'aria-current="page"' not in client.get(reverse("notifications:settings")).content.decode()
    )
