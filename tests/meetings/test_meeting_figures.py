"""The advisory and steering group agendas attach the current figures (issue 13): the year's
figures up to the meeting's date, aggregates only with small-cell suppression, on the
meeting's page and in the agenda PDF. Without the figures app's provider the section is
absent, not faked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from meetings import current_figures, services
from meetings.choices import DocumentKind, MeetingKind
from meetings.pdf import content_hash, document_context, render_html, render_pdf
from partners.choices import Role
from tests.factories.cases import CaseFactory
from tests.factories.partners import UserFactory
from tests.meetings.pdftext import pages_text

pytestmark = pytest.mark.django_db

# The world's cases were referred on 2 November 2026 in Overvecht.
DAY = dt.date(2026, 12, 8)


def nl(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def _plan(world, kind, day=DAY):
    return services.meeting_plan(
        kind=kind, date=day, start_time=dt.time(10, 0), location="Stadhuis", by=world.coordinator
    )


@pytest.fixture
def advisory(world):
    return _plan(world, MeetingKind.ADVISORY)


def _page(client, meeting) -> str:
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _row(label: str, value: str) -> str:
    return (
        f'<th class="utrecht-table__header-cell" scope="row">{label}</th>'
        f'<td class="utrecht-table__cell">{value}</td>'
    )


def test_the_advisory_agenda_shows_the_years_figures_with_small_counts_hidden(
    world, advisory, verified_client
):
    client = verified_client(world.coordinator)
    page = _page(client, advisory)
    assert 'id="figures"' in page and nl("Referrals by district") in page
    # Three cases in Overvecht: fewer than 5, so the cell says so and no more.
    assert _row("Overvecht", "&lt; 5") in page
    # No case, no person, no address: aggregates only.
    for case in (world.case_execution, world.case_investigation, world.case_intake):
        assert case.number not in page
    for text in ("Zamenhofdreef", "Piet", "Verbeek", "Zwart"):
        assert text not in page
    # Three more referrals in the district: six is shown as it is.
    district = world.case_execution.district
    for _number in range(3):
        CaseFactory(network=world.network, district=district)
    assert _row("Overvecht", "6") in _page(client, advisory)


def test_the_figures_run_from_1_january_up_to_the_meetings_date(world, verified_client):
    # Before the world's referrals (2 November): none of them counts yet.
    early = _plan(world, MeetingKind.STEERING, dt.date(2026, 10, 6))
    page = _page(verified_client(world.coordinator), early)
    assert 'id="figures"' in page
    assert "Overvecht" not in page
    link = f"{reverse('figures:report')}?van=2026-01-01&amp;tot=2026-10-06"
    assert link in page


def test_a_meeting_member_sees_the_figures_a_representative_without_the_report_link(
    world, advisory, verified_client
):
    member = UserFactory(organisation=world.police, roles=[Role.MEETING_MEMBER])
    for user in (member, world.rep_corporation):
        services.meeting_member_invite(meeting=advisory, user=user, by=world.coordinator)
    services.agenda_publish(meeting=advisory, by=world.coordinator)
    report = reverse("figures:report")

    page = _page(verified_client(member), advisory)
    assert _row("Overvecht", "&lt; 5") in page and report in page
    # A representative takes part too but may not open the annual report: no dead link.
    page = _page(verified_client(world.rep_corporation), advisory)
    assert _row("Overvecht", "&lt; 5") in page and report not in page


def test_case_and_director_meetings_attach_no_figures(world, verified_client):
    client = verified_client(world.coordinator)
    case_meeting = services.meeting_plan(
        kind=MeetingKind.CASE, network=world.network, date=DAY, start_time=dt.time(10, 0),
        location="Wijkbureau", by=world.coordinator,
    )  # fmt: skip
    director = _plan(world, MeetingKind.DIRECTOR)
    for meeting in (case_meeting, director):
        assert 'id="figures"' not in _page(client, meeting)


def test_without_the_figures_app_the_section_is_absent(
    world, advisory, verified_client, monkeypatch
):
    monkeypatch.setattr(current_figures, "_registry", {})
    page = _page(verified_client(world.coordinator), advisory)
    assert 'id="figures"' not in page and nl("Referrals by district") not in page
    context = document_context(meeting=advisory, kind=DocumentKind.AGENDA, organisation=None)
    assert context["figures"] is None
    assert nl("Current figures") not in render_html(context)


def _pdf_text(meeting, kind) -> str:
    context = document_context(meeting=meeting, kind=kind, organisation=None)
    pdf = render_pdf(context)
    return " ".join(pages_text(html=render_html(context), pdf=pdf))


def test_the_agenda_pdf_attaches_the_figures_and_the_minutes_pdf_does_not(world, advisory):
    text = _pdf_text(advisory, DocumentKind.AGENDA)
    assert nl("Current figures") in text
    with translation.override("nl"):
        district_title = translation.gettext("Referrals by district")
    assert district_title in text and "Overvecht" in text and "< 5" in text
    assert "1 januari 2026" in text and "8 december 2026" in text
    for case in (world.case_execution, world.case_investigation, world.case_intake):
        assert case.number not in text
    assert "Zamenhofdreef" not in text

    minutes = _pdf_text(advisory, DocumentKind.MINUTES)
    assert nl("Current figures") not in minutes and district_title not in minutes


def test_new_figures_make_the_cached_agenda_pdf_stale(world, advisory):
    def digest():
        return content_hash(
            document_context(meeting=advisory, kind=DocumentKind.AGENDA, organisation=None)
        )

    before = digest()
    for _number in range(3):
        CaseFactory(network=world.network, district=world.case_execution.district)
    assert digest() != before


def test_the_figures_section_keeps_the_pages_query_count(world, advisory, verified_client):
    client = verified_client(world.coordinator)
    url = reverse("meetings:detail", args=[advisory.pk])
    client.get(url)  # warm: the session, content types
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _number in range(12):
        CaseFactory(network=world.network, district=world.case_execution.district)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), (len(small), len(large))
    assert len(small) <= 45, len(small)  # 38: the page and the annual report's figures
