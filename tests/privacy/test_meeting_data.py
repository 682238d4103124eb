"""Meeting data falls under the same privacy rules as the rest of a case (issue 11, DOMAIN.md
§7): erasure and retention reach the agenda items, minutes lines, decisions, actions and
cached PDFs of a case's meetings, and the access export holds them, for the officer's review.
The access export also names who changed the data by organisation and role, never the
employee, and offers every free text that may be about others for review."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from meetings.models import Decision, IntendedAction, MeetingDocument, MinutesAddendum
from partners.choices import Role
from privacy import export, selectors, services
from privacy.models import RequestKind, RetentionLogEntry
from tests.factories.partners import UserFactory
from tests.privacy.full_case import add_meeting, make_full_case, make_team
from tests.privacy.scan import find_everywhere

pytestmark = pytest.mark.django_db

BORN = dt.date(1963, 7, 14)
OTHER_BORN = dt.date(1958, 2, 27)
OTHER_NEWS = "Andere zaak: rondvraag gesloten."


@pytest.fixture
def team():
    return make_team()


def _years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years)


def test_the_meeting_data_names_the_person_before_removal(team, media):
    """The scan can fail: the meeting tables and the cached PDF hold the name first."""
    case, _causer = make_full_case(
        team, first="Grietje", last="Vlaskamp", born=BORN, street="Merelhof"
    )
    add_meeting(team, case, first="Grietje", last="Vlaskamp", media=media)
    places = find_everywhere(texts=["Vlaskamp"], media_root=media)
    for place in (
        "meetings_agendaitem.question",
        "meetings_historicalagendaitem.summary",
        "meetings_decision.text",
        "meetings_intendedaction.description",
        "meetings_minutesaddendum.text",
        "meetings_historicalminutesaddendum.text",
    ):
        assert place in places
    assert any(p.startswith("file:") and "notulen" in p for p in places)


def test_erasure_takes_the_person_out_of_the_meetings_and_their_pdfs(team, media):
    case, causer = make_full_case(
        team, first="Grietje", last="Vlaskamp", born=BORN, street="Merelhof"
    )
    item = add_meeting(team, case, first="Grietje", last="Vlaskamp", media=media)
    erasure = services.request_register(
        person=causer,
        kind=RequestKind.ERASURE,
        received_on=timezone.localdate(),
        by=team.coordinator,
    )
    services.person_erase(request=erasure, by=team.coordinator, reason="Toegewezen.")

    assert find_everywhere(texts=["Grietje", "Vlaskamp"], dates=[BORN], media_root=media) == []
    assert not MeetingDocument.objects.exists()  # made again without the person when asked
    item.refresh_from_db()
    assert "buren willen verhuizen" in item.summary  # the rest of the minutes stays
    assert Decision.objects.get(item=item).text.startswith("Huisbezoek bij")
    addendum = MinutesAddendum.objects.get(meeting=item.meeting)
    assert OTHER_NEWS in addendum.text


def test_retention_empties_the_meeting_texts_of_the_case_and_deletes_its_pdfs(
    team, media, settings
):
    settings.RETENTION_YEARS_AFTER_CLOSING = 5
    old, _causer = make_full_case(
        team,
        first="Grietje",
        last="Vlaskamp",
        born=BORN,
        street="Merelhof",
        neighbour=("Henk", "Oosterbeek"),
        closed_on=_years_ago(6),
    )
    old_item = add_meeting(team, old, first="Grietje", last="Vlaskamp", media=media)
    recent, _other = make_full_case(
        team, first="Bertus", last="Zonneveld", born=OTHER_BORN, street="Kievitdreef",
        closed_on=_years_ago(4),
    )  # fmt: skip
    recent_item = add_meeting(team, recent, first="Bertus", last="Zonneveld")

    assert services.retention_run() == 1

    assert (
        find_everywhere(texts=["Grietje", "Vlaskamp", "Oosterbeek"], dates=[BORN], media_root=media)
        == []
    )
    old_item.refresh_from_db()
    assert (old_item.question, old_item.summary) == ("", "")
    assert Decision.objects.get(item=old_item).text == ""
    assert IntendedAction.objects.get(decision__item=old_item).description == ""
    assert Decision.history.filter(item_id=old_item.pk).exclude(text="").count() == 0
    assert OTHER_NEWS in MinutesAddendum.objects.get(meeting=old_item.meeting).text
    assert not MeetingDocument.objects.filter(meeting=old_item.meeting).exists()
    assert RetentionLogEntry.objects.get().counts["meeting_documents"] == 1
    # The recent case's meeting is untouched.
    recent_item.refresh_from_db()
    assert "Zonneveld" in recent_item.question
    assert "Zonneveld" in Decision.objects.get(item=recent_item).text


def _access_request(team, person):
    return services.request_register(
        person=person,
        kind=RequestKind.ACCESS,
        received_on=timezone.localdate(),
        by=team.privacy_officer,
    )


def _export(team, request) -> dict:
    services.export_start(request=request, by=team.privacy_officer)
    assert export.run(request.pk)
    request.refresh_from_db()
    return json.loads(request.export_json.read())


def test_the_access_export_holds_the_meetings_for_review_and_withholds_them(team, media, settings):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English source texts
    case, causer = make_full_case(
        team, first="Grietje", last="Vlaskamp", born=BORN, street="Merelhof"
    )
    item = add_meeting(team, case, first="Grietje", last="Vlaskamp")
    request = _access_request(team, causer)

    (case_data,) = _export(team, request)["cases"]
    (meeting,) = case_data["meetings"]
    assert meeting["question"] == "Plan voor Grietje Vlaskamp vaststellen?"
    assert "weigert hulp" in meeting["minutes_summary"]
    assert meeting["decisions"][0]["text"] == "Huisbezoek bij Grietje Vlaskamp met politie."
    assert meeting["decisions"][0]["actions"][0]["organisation"] == "Politie"

    candidates = {row["key"]: row for row in selectors.export_review_candidates(request=request)}
    row = candidates[f"agenda_item:{item.pk}"]
    assert "weigert hulp" in row["text"] and "Wijkagent spreekt Vlaskamp aan." in row["text"]

    services.export_review_record(
        request=request, by=team.privacy_officer, withhold=[f"agenda_item:{item.pk}"]
    )
    (case_data,) = _export(team, request)["cases"]
    (meeting,) = case_data["meetings"]
    assert meeting["withheld"] and "Withheld" in meeting["question"]
    flat = json.dumps(meeting)
    assert "weigert hulp" not in flat and "Wijkagent" not in flat


def test_a_neighbours_export_holds_only_the_meeting_items_that_name_them(team):
    case, _causer = make_full_case(
        team, first="Grietje", last="Vlaskamp", born=BORN, street="Merelhof",
        neighbour=("Henk", "Oosterbeek"),
    )  # fmt: skip
    add_meeting(team, case, first="Grietje", last="Vlaskamp")
    neighbour = case.persons.get(last_name="Oosterbeek")
    request = _access_request(team, neighbour)
    assert _export(team, request)["cases"][0]["meetings"] == []
    assert not [
        r for r in selectors.export_review_candidates(request=request) if r["kind"] == "agenda_item"
    ]


def test_review_offers_every_free_text_that_may_be_about_others(team):
    case, causer = make_full_case(
        team, first="Grietje", last="Vlaskamp", born=BORN, street="Merelhof"
    )
    referral = case.referrals.get()
    referral.is_urgent, referral.urgency_reason = True, "Buurvrouw Jansen is bedreigd."
    referral.save()
    case.screening_waiver_reason = "Politie kent het adres niet."
    case.save()
    request = _access_request(team, causer)
    rows = selectors.export_review_candidates(request=request)
    texts = {row["kind"]: row["text"] for row in rows}
    assert "Buurvrouw Jansen is bedreigd." in texts["referral"]
    assert "bedreigt buren" in texts["case"]  # the special situation's motivation
    assert "Politie kent het adres niet." in texts["case"]
    assert "duurt maanden" in texts["criterion"]
    assert "Alleen met twee personen." in texts["screening"]
    assert "bekend bij de GGZ" in texts["person"]

    withhold = [r["key"] for r in rows if r["kind"] in {"referral", "case", "screening", "person"}]
    withhold += [r["key"] for r in rows if r["kind"] == "criterion"]
    services.export_review_record(request=request, by=team.privacy_officer, withhold=withhold)
    data = _export(team, request)
    flat = json.dumps(data, ensure_ascii=False)
    for text in (
        "Buurvrouw Jansen",
        "bedreigt buren",
        "Politie kent het adres niet",
        "duurt maanden",
        "Alleen met twee personen",
        "bekend bij de GGZ",
    ):
        assert text not in flat, text


def test_the_export_names_who_changed_the_data_by_organisation_and_role(team):
    case, causer = make_full_case(
        team, first="Grietje", last="Vlaskamp", born=BORN, street="Merelhof"
    )
    team.casemanager.first_name, team.casemanager.last_name = "Klaasje", "Medewerkersnaam"
    team.casemanager.save()
    former = UserFactory(
        organisation=team.mitros, roles=[Role.PARTNER_REPRESENTATIVE], last_name="Oudgediende"
    )
    former.is_active = False
    former.save()
    causer.notes = "Aangepast."
    causer._history_user = former
    causer.save()

    data = _export(team, _access_request(team, causer))
    rows = data["history"]["persons"][0]
    changed_by_cm = [r for r in rows if r["by_organisation"] == "U Centraal"]
    assert changed_by_cm and all(r["by_role"] for r in changed_by_cm)
    assert rows[-1]["by_organisation"] == "Mitros" and rows[-1]["by_role"]
    history = json.dumps(data["history"], ensure_ascii=False)
    assert "Medewerkersnaam" not in history and "Oudgediende" not in history
    assert team.casemanager.email not in history
