"""Issue 5 journey: a coordinator sees an overdue intake on the dashboard, follows it to the
case and finds it red in the case's deadlines. Each page passes axe."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from deadlines import kinds, services
from partners.choices import Role
from partners.models import Covenant
from tests.factories.cases import CaseFactory
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_follows_an_overdue_deadline_from_the_dashboard_to_the_case(
    page, live_server, axe_clean, sign_in_on
):
    Covenant.objects.update(is_active=False)
    uc = OrganisationFactory(name="U Centraal", executing=True)
    coordinator = UserFactory(organisation=uc, roles=[Role.COORDINATOR])
    TOTPDevice.objects.create(user=coordinator, name="default", confirmed=True)
    case = CaseFactory(number="WO-2026-0099")
    # Referred three weeks ago and never taken into handling.
    services.deadline_open(
        kind=kinds.INTAKE, case=case, started_on=timezone.localdate() - dt.timedelta(days=21)
    )

    sign_in_on(page, coordinator)

    block = page.locator("section.wo-deadlines-block")
    expect(block.locator('[data-count="overdue"]')).to_have_text("1")
    axe_clean(page)
    block.locator("a", has_text="WO-2026-0099").click()

    expect(page).to_have_url(re.compile(rf"/casussen/{case.pk}/#deadlines$"))
    row = page.locator("#deadlines tr.wo-deadline-row")
    expect(row).to_have_count(1)
    expect(row.locator(".utrecht-status-badge--danger")).to_be_visible()
    axe_clean(page)
