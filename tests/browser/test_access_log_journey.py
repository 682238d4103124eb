"""Issue 6 journey (history and read log): a casemanager opens a case and its change
history; the privacy officer looks up who accessed that case, downloads the CSV and looks
at unusual access. Each page passes axe."""

import csv
import io
import re
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from partners.choices import Role
from tests.cases.case_setup import make_world
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_privacy_officer_looks_up_access_to_a_case_and_downloads_the_csv(
    page, live_server, axe_clean, sign_in_on
):
    world = make_world()
    officer = UserFactory(
        organisation=world.uc, roles=[Role.PRIVACY_OFFICER], first_name="Pim", last_name="Privacy"
    )
    for user in (world.casemanager, officer):
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)

    # The casemanager reads the case and its change history.
    sign_in_on(page, world.casemanager)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(f"{live_server.url}/casussen/{world.case.pk}/")
    expect(page.locator("h1")).to_contain_text(world.case.number)
    page.locator(f"a[href$='/casussen/{world.case.pk}/wijzigingen/']").click()
    expect(page.locator("table")).to_contain_text("Jan")
    axe_clean(page)
    page.context.clear_cookies()

    # The privacy officer finds the case by its number and sees who opened it.
    sign_in_on(page, officer)
    expect(page).to_have_url(re.compile(r"/$"))
    page.locator("nav a[href$='/privacy/toegang/']").click()
    axe_clean(page)
    page.get_by_label(re.compile("Casusnummer|Case number")).fill(world.case.number)
    page.get_by_role(
        "button", name=re.compile("toegang tot deze casus|access to this case", re.I)
    ).click()
    expect(page.locator("h1")).to_contain_text(world.case.number)
    table = page.locator("table")
    expect(table).to_contain_text(world.casemanager.get_full_name())
    expect(table).to_contain_text(re.compile("Casemanager"))
    axe_clean(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("CSV")).click()
    download = download_info.value
    assert download.suggested_filename == f"toegang-{world.case.number}.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    readers = {row[2] for row in rows[1:]}
    assert world.casemanager.email in readers and officer.email in readers

    page.locator("a[href$='/privacy/toegang/ongebruikelijk/']").first.click()
    expect(page.locator("h1")).to_be_visible()
    axe_clean(page)
