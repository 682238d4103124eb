"""Issue 5 journey: a casemanager sees the bell's count, opens the list, marks one
notification read and then all of them; the count drops without a page reload. Each page
passes axe."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from notifications.choices import EmailMode
from notifications.services import notify, preference_set
from partners.choices import Role
from tests.factories.cases import CaseFactory
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_bell_count_drops_as_notifications_are_marked_read_without_reload(
    page, live_server, axe_clean, sign_in_on
):
    uc = OrganisationFactory(name="U Centraal", executing=True)
    user = UserFactory(organisation=uc, roles=[Role.CASEMANAGER])
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    preference_set(user=user, email_mode=EmailMode.DIGEST)  # no mail tasks in this journey
    cases = [CaseFactory(number=f"WO-2026-09{i:02d}") for i in range(3)]
    for case in cases:
        notify(
            recipients=[user],
            event="assigned",
            key=f"case:{case.pk}:assigned",
            case=case,
            url=f"/casussen/{case.pk}/",
        )

    sign_in_on(page, user)
    badge = page.locator("header .wo-bell__badge")
    expect(badge).to_have_text("3")
    axe_clean(page)

    page.locator("header .wo-bell__link").click()
    expect(page).to_have_url(re.compile(r"/meldingen/$"))
    expect(page.locator("li.wo-notification--unread")).to_have_count(3)
    expect(page.locator("main")).to_contain_text("WO-2026-0902")
    axe_clean(page)

    # A marker on the window: it survives htmx swaps, not a page load.
    page.evaluate("window.__noReload = true")
    first = page.locator("li.wo-notification--unread").first
    first.locator("button[type=submit]").click()
    expect(badge).to_have_text("2")
    expect(page.locator("li.wo-notification--unread")).to_have_count(2)
    expect(page.locator("#notification-bell-status")).to_contain_text("2")
    # Focus moved to the notification's link, not lost to the page.
    expect(page.locator("li.wo-notification").first.locator("a")).to_be_focused()
    assert page.evaluate("window.__noReload") is True
    axe_clean(page)

    page.locator("form.wo-notifications__all button[type=submit]").click()
    expect(page.locator("li.wo-notification--unread")).to_have_count(0)
    expect(badge).to_have_count(0)
    assert page.evaluate("window.__noReload") is True
    axe_clean(page)

    # The e-mail preference page.
    page.goto(f"{live_server.url}/meldingen/instellingen/")
    expect(page.locator("input[value='digest']")).to_be_checked()
    axe_clean(page)
    page.locator("input[value='immediate']").check()
    page.locator("main button[type=submit]").click()
    expect(page.locator("input[value='immediate']")).to_be_checked()
    axe_clean(page)


def test_bell_polls_and_announces_a_new_notification(page, live_server, sign_in_on):
    user = UserFactory(roles=[Role.COORDINATOR])
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    preference_set(user=user, email_mode=EmailMode.DIGEST)
    sign_in_on(page, user)
    expect(page.locator("header .wo-bell__badge")).to_have_count(0)
    page.evaluate("window.__noReload = true")
    notify(recipients=[user], event="new_referral", key="k", url="/")
    # The poll runs every 60 s; trigger the same refresh the poll does, now.
    page.evaluate("htmx.trigger(document.body, 'wo-notifications-changed')")
    expect(page.locator("header .wo-bell__badge")).to_have_text("1")
    expect(page.locator("#notification-bell-status")).to_contain_text("1")
    assert page.evaluate("window.__noReload") is True
