"""Agenda and minutes as real PDFs, per recipient organisation."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.utils import translation

from cases.models import Person
from meetings import services
from meetings.choices import DocumentKind, MeetingKind, RenderState
from meetings.models import AgendaItem, MeetingDocument
from meetings.pdf import content_hash, document_context, render_html, render_pdf
from meetings.tasks import render_meeting_document  # noqa: F401 - the worker needs it
from tests.meetings.pdftext import pages_text

TEN = dt.time(10, 0)


def nl(msgid: str) -> str:
    """The Dutch text of a msgid (English until the lead merges this branch's pending PO)."""
    with translation.override("nl"):
        return translation.gettext(msgid)


def _meeting(world):
    meeting = services.meeting_plan(
        kind=MeetingKind.CASE, network=world.network, date=dt.date(2027, 1, 12),
        start_time=TEN, location="Wijkbureau Overvecht", chair=world.coordinator,
        by=world.coordinator,
    )  # fmt: skip
    services.agenda_propose(meeting=meeting, by=world.coordinator)
    for item in AgendaItem.objects.filter(meeting=meeting):
        services.agenda_item_update(
            item=item, question=f"Vraag over {item.case.number}", by=world.coordinator
        )
    services.agenda_item_add(meeting=meeting, title="Mededelingen", by=world.coordinator)
    return meeting


def _text(meeting, kind, organisation) -> tuple[str, list[str], bytes]:
    context = document_context(meeting=meeting, kind=kind, organisation=organisation)
    pdf = render_pdf(context)
    pages = pages_text(html=render_html(context), pdf=pdf)
    return " ".join(pages), pages, pdf


@pytest.mark.django_db
def test_agenda_pdf_shows_only_the_recipients_items_without_house_numbers_or_names(world):
    meeting = _meeting(world)
    services.agenda_publish(meeting=meeting, by=world.coordinator)
    text, pages, pdf = _text(meeting, DocumentKind.AGENDA, world.corporation)
    assert pdf.startswith(b"%PDF")
    assert world.case_execution.number in text and "P.d.B." in text
    assert "Zamenhofdreef" in text and f"Vraag over {world.case_execution.number}" in text
    # The referral in intake: number and initials only.
    assert world.case_intake.number in text and "I.Z." in text
    assert f"Vraag over {world.case_intake.number}" not in text
    # Not this organisation's case, no house numbers, no names of causers.
    assert world.case_investigation.number not in text and "K.V." not in text
    for house_number in ("417", "619", "523"):
        # As a number of its own: case numbers (WO-1999-0417) may contain the digits.
        assert not re.search(rf"(?<![\d-]){house_number}(?!\d)", text), house_number
    for name in ("Piet", "de Boer", "Ineke", "Zwart", "Verbeek"):
        assert name not in text
    assert "Mededelingen" in text
    confidential = nl("Confidential – for %(recipient)s – printed %(when)s")
    assert confidential.split(" – ")[0] in text and world.corporation.name in text
    assert "U Centraal" in text  # the executing organisation's name (letterhead)
    assert "12 januari 2027" in text  # Dutch dates
    assert f"{nl('page')} 1 {nl('of')} {len(pages)}" in pages[0]  # "pagina 1 van 1"


@pytest.mark.django_db
def test_the_pdf_is_tagged_pdf_ua(world, settings):
    meeting = _meeting(world)
    from woonoverlast import pdf as house

    context = document_context(meeting=meeting, kind=DocumentKind.AGENDA, organisation=None)
    html = render_html(context)
    import weasyprint

    raw = weasyprint.HTML(string=html).write_pdf(**house.PDF_OPTIONS, uncompressed_pdf=True)
    assert b"/StructTreeRoot" in raw and b"/MarkInfo" in raw and b"pdfuaid" in raw


@pytest.mark.django_db
def test_minutes_pdf_has_decisions_actions_attendance_and_addenda(world):
    meeting = _meeting(world)
    item = AgendaItem.objects.get(meeting=meeting, case=world.case_execution)
    services.minutes_item_record(item=item, summary="Overlast neemt af.", by=world.coordinator)
    services.decision_add(
        item=item, text="Afsluiten na eindevaluatie.", by=world.coordinator,
        actions=[services.ActionSpec(
            organisation=world.corporation, person=world.substitute_corporation,
            due_on=dt.date(2027, 2, 1), description="Eindgesprek voeren",
        )],
    )  # fmt: skip
    police_item = AgendaItem.objects.get(meeting=meeting, case=world.case_investigation)
    services.decision_add(item=police_item, text="Politie screent opnieuw.", by=world.coordinator)
    services.attendance_record(
        meeting=meeting, organisation=world.corporation, present=True, by=world.coordinator
    )
    services.minutes_finalise(meeting=meeting, by=world.coordinator)
    services.minutes_addendum_add(meeting=meeting, text="Correctie: datum.", by=world.coordinator)
    meeting.refresh_from_db()
    text, _pages, _pdf = _text(meeting, DocumentKind.MINUTES, world.corporation)
    for expected in (
        "Overlast neemt af.", "Afsluiten na eindevaluatie.", "Eindgesprek voeren",
        "1 februari 2027", nl("Attendance"), "Correctie: datum.", nl("Final"),
    ):  # fmt: skip
        assert expected in text, expected
    assert "Politie screent opnieuw." not in text


@pytest.mark.django_db
def test_an_erased_persons_initials_disappear_and_the_cache_is_stale(world):
    meeting = _meeting(world)
    before = content_hash(
        document_context(meeting=meeting, kind=DocumentKind.AGENDA, organisation=None)
    )
    Person.objects.filter(case=world.case_execution).update(
        first_name="", last_name="", erased_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    )
    context = document_context(meeting=meeting, kind=DocumentKind.AGENDA, organisation=None)
    assert content_hash(context) != before
    assert "P.d.B." not in str(context)


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_made_by_a_worker_and_cached_until_the_content_changes(
    world, celery_worker, media
):
    meeting = _meeting(world)
    services.agenda_publish(meeting=meeting, by=world.coordinator)
    document = services.meeting_document_request(
        meeting=meeting, kind=DocumentKind.AGENDA, organisation=world.corporation,
        by=world.rep_corporation,
    )  # fmt: skip
    done = _wait(document.pk)
    assert done.progress == 100 and done.file.read().startswith(b"%PDF")
    again = services.meeting_document_request(
        meeting=meeting, kind=DocumentKind.AGENDA, organisation=world.corporation,
        by=world.rep_corporation,
    )  # fmt: skip
    assert again.state == RenderState.DONE and again.finished_at == done.finished_at
    services.agenda_item_add(meeting=meeting, title="Rondvraag", by=world.coordinator)
    changed = services.meeting_document_request(
        meeting=meeting, kind=DocumentKind.AGENDA, organisation=world.corporation,
        by=world.rep_corporation,
    )  # fmt: skip
    assert changed.content_hash != done.content_hash
    assert _wait(changed.pk).finished_at > done.finished_at
    assert services.meeting_documents_purge_for_case(case=world.case_execution) == 1
    assert not MeetingDocument.objects.exists()


@pytest.mark.django_db
def test_only_the_coordinator_gets_the_full_version_or_another_organisations(world):
    from django.core.exceptions import PermissionDenied

    meeting = _meeting(world)
    with pytest.raises(PermissionDenied):  # not published yet
        services.meeting_document_request(
            meeting=meeting, kind=DocumentKind.AGENDA, organisation=world.corporation,
            by=world.rep_corporation,
        )  # fmt: skip
    services.agenda_publish(meeting=meeting, by=world.coordinator)
    for organisation in (None, world.police):
        with pytest.raises(PermissionDenied):
            services.meeting_document_request(
                meeting=meeting, kind=DocumentKind.AGENDA, organisation=organisation,
                by=world.rep_corporation,
            )  # fmt: skip


def _wait(pk: int, timeout: float = 90) -> MeetingDocument:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        document = MeetingDocument.objects.get(pk=pk)
        if document.state == RenderState.DONE:
            return document
        assert document.state != RenderState.FAILED
        time.sleep(0.2)
    raise AssertionError("the PDF was not made in time")
