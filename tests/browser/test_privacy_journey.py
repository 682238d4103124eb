"""Issue 6 journey: the privacy officer registers an access request, starts the export, sees
its progress (htmx polling while a real Celery worker produces it) and downloads the PDF;
the record of processing activities is one click away. Each page passes axe."""

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from partners.choices import Role
from privacy.models import DataSubjectRequest, ExportState
from privacy.tasks import access_export  # noqa: F401 - the worker needs it
from tests.factories.partners import OrganisationFactory, UserFactory
from tests.privacy.full_case import make_full_case, make_team

pytestmark = pytest.mark.django_db(transaction=True)


def test_privacy_officer_produces_and_downloads_an_access_export(
    page, live_server, axe_clean, sign_in_on, celery_worker, media
):
    team = make_team()
    case, causer = make_full_case(
        team, first="Grietje", last="Vlaskamp", born=dt.date(1963, 7, 14), street="Merelhof"
    )
    officer = UserFactory(
        organisation=OrganisationFactory(name="Gemeente Utrecht", kind="municipality"),
        roles=[Role.PRIVACY_OFFICER],
        first_name="Petra",
        last_name="Privacy",
    )
    TOTPDevice.objects.create(user=officer, name="default", confirmed=True)

    sign_in_on(page, officer)
    expect(page.locator("header")).to_contain_text("Petra Privacy")

    page.locator("nav a[href$='/privacy/verwerkingsregister/']").click()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("U Centraal")  # the processor, from data
    axe_clean(page)

    page.locator("nav a[href$='/privacy/verzoeken/']").click()
    axe_clean(page)
    page.locator("a[href$='/privacy/verzoeken/nieuw/']").click()
    page.fill("input[name='last_name']", "vlaskamp")
    page.fill("input[name='date_of_birth']", "1963-07-14")
    page.locator("main form[method=get] button[type=submit]").click()
    axe_clean(page)
    page.get_by_role("link", name="Grietje Vlaskamp").click()
    expect(page.locator("input[name='kind'][value='access']")).to_be_checked()
    axe_clean(page)
    page.locator("main form.wo-form button.utrecht-button--primary-action").click()

    request = DataSubjectRequest.objects.get()
    expect(page).to_have_url(f"{live_server.url}/privacy/verzoeken/{request.pk}/")
    axe_clean(page)
    # Before release the officer reviews the passages about others (AVG art. 15(4)).
    page.locator("a[href$='/inzage/beoordelen/']").click()
    axe_clean(page)
    first_passage = page.locator("input[name='withhold']").first
    first_passage.check()
    page.locator("main form.wo-form button.utrecht-button--primary-action").click()
    expect(page).to_have_url(f"{live_server.url}/privacy/verzoeken/{request.pk}/#export")
    expect(page.locator("#export")).to_contain_text("1")
    assert request.export_reviews.get().reviewed_by == officer
    page.locator("#export form button[type=submit]").click()
    # The progress fragment replaces itself every second until the worker is done.
    expect(page.locator("#export-state")).to_have_attribute("role", "status")
    pdf_link = page.locator("a[href$='/inzage/pdf/']")
    expect(pdf_link).to_be_visible(timeout=60_000)
    assert DataSubjectRequest.objects.get().task_state == ExportState.DONE
    axe_clean(page)
    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert download.suggested_filename == f"inzage-{request.pk}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert case.number in page.locator("main").inner_text()
