"""Data-subject requests: registering with the legal deadline (one month, once extendable by
two with a reason), the deadline registry, decisions, restriction, and the pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from audit.models import ReadLogEntry, ReadWhat
from cases.models import Person
from deadlines.domain.state import DeadlineState, DueState
from deadlines.models import Deadline
from partners.choices import Role
from privacy import export, selectors, services
from privacy.deadline_kinds import DATA_SUBJECT_REQUEST
from privacy.models import DataSubjectRequest, ExportState, RequestKind, RequestStatus
from tests.cases.case_setup import make_world
from tests.factories.partners import UserFactory
from tests.privacy.full_case import make_full_case, make_team

pytestmark = pytest.mark.django_db

BORN = dt.date(1963, 7, 14)


@pytest.fixture
def officer():
    return UserFactory(roles=[Role.PRIVACY_OFFICER])


@pytest.mark.parametrize(
    "received, due, extended",
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 4, 30)),
        (dt.date(2026, 3, 15), dt.date(2026, 4, 15), dt.date(2026, 6, 15)),
        (dt.date(2024, 1, 30), dt.date(2024, 2, 29), dt.date(2024, 4, 30)),
    ],
)
def test_deadline_is_one_month_and_the_extension_two_more(officer, received, due, extended):
    person = make_world().case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.ACCESS, received_on=received, by=officer
    )
    assert selectors.request_deadline(request).due_on == due
    services.request_extend(request=request, reason="Complex: several cases.", by=officer)
    assert selectors.request_deadline(request).due_on == extended


def test_registering_opens_the_deadline_and_deciding_meets_it(officer):
    person = make_world().case.persons.get()
    request = services.request_register(
        person=person,
        kind=RequestKind.OBJECTION,
        received_on=dt.date(2026, 11, 2),
        by=officer,
    )
    deadline = Deadline.objects.get(kind=DATA_SUBJECT_REQUEST)
    assert deadline.subject == request and deadline.case_id is None
    assert selectors.request_deadline(request) == DueState(dt.date(2026, 12, 2), deadline.state())
    services.request_extend(request=request, reason="Complex: several cases.", by=officer)
    request.refresh_from_db()
    assert request.is_extended
    open_deadline = Deadline.objects.open().get(kind=DATA_SUBJECT_REQUEST)
    assert open_deadline.due_on == dt.date(2027, 2, 2)
    assert selectors.request_deadline(request).due_on == dt.date(2027, 2, 2)
    with pytest.raises(services.RequestRefused):
        services.request_extend(request=request, reason="Again", by=officer)
    services.request_refuse(request=request, by=officer, reason="Zwaarwegend algemeen belang.")
    assert not Deadline.objects.open().filter(kind=DATA_SUBJECT_REQUEST).exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED and request.decided_on
    assert selectors.request_deadline(request).state == DeadlineState.MET_ON_TIME


def test_the_pages_show_the_deadline_rows_date_and_state(officer, verified_client):
    """List and detail read the legal deadline from its deadline row: the extended date once
    extended, overdue once past it."""
    person = make_world().case.persons.get()
    today = timezone.localdate()
    services.request_register(  # 70 days ago: past its one month
        person=person,
        kind=RequestKind.ACCESS,
        received_on=today - dt.timedelta(days=70),
        by=officer,
    )
    extended = services.request_register(
        person=person, kind=RequestKind.OBJECTION, received_on=today, by=officer
    )
    services.request_extend(request=extended, reason="Veel dossiers.", by=officer)
    extended_due = selectors.request_deadline(extended).due_on
    client = verified_client(officer)
    page = client.get(reverse("privacy_rights:request_list")).content.decode()
    assert page.count('data-deadline-state="overdue"') == 1
    assert page.count('data-deadline-state="open"') == 1
    detail = client.get(
        reverse("privacy_rights:request_detail", args=[extended.pk])
    ).content.decode()
    with translation.override("nl"):
        shown_due = date_format(extended_due, "SHORT_DATE_FORMAT")
    assert shown_due in detail and "Veel dossiers." in detail
    # Extended once: the page no longer offers the extension.
    assert reverse("privacy_rights:request_extend", args=[extended.pk]) not in detail


def test_extension_needs_a_reason(officer):
    person = make_world().case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )
    with pytest.raises(services.RequestRefused):
        services.request_extend(request=request, reason=" ", by=officer)


def test_rectification_records_what_was_changed(officer):
    person = make_world().case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.RECTIFICATION, received_on=timezone.localdate(), by=officer
    )
    with pytest.raises(services.RequestRefused):
        services.request_complete(request=request, by=officer)
    services.request_complete(
        request=request, by=officer, rectification="Geboortedatum verbeterd op de casuspagina."
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    assert "Geboortedatum" in request.rectification


def test_restricted_person_is_hidden_from_partners_but_kept_for_the_case_team(
    officer, verified_client
):
    world = make_world()
    person = world.case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.RESTRICTION, received_on=timezone.localdate(), by=officer
    )
    services.person_restrict(request=request, by=officer, reason="Juistheid betwist.")
    person.refresh_from_db()
    assert person.is_restricted and person.last_name == "Smit"
    url = reverse("cases:detail", args=[world.case.pk])
    assert "Smit" not in verified_client(world.police_rep).get(url).content.decode()
    assert "Smit" in verified_client(world.casemanager).get(url).content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER_REPRESENTATIVE, Role.MANAGER])
def test_other_roles_may_not_open_the_request_pages(verified_client, role):
    client = verified_client(UserFactory(roles=[role]))
    assert client.get(reverse("privacy_rights:request_list")).status_code == 403
    assert client.get(reverse("privacy_rights:request_new")).status_code == 403


def test_officer_finds_the_person_and_registers_a_request(officer, verified_client):
    world = make_world()
    person = world.case.persons.get()
    client = verified_client(officer)
    page = client.get(reverse("privacy_rights:request_new"), {"last_name": "smit"})
    assert world.case.number in page.content.decode()
    response = client.post(
        reverse("privacy_rights:request_new") + f"?person={person.pk}",
        {
            "person": person.pk,
            "kind": RequestKind.ACCESS,
            "received_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            "requester_name": "Advocaat mr. De Wit",
        },
    )
    assert response.status_code == 200  # a date in the future: error next to the field
    assert "received_on" in response.context["form"].errors
    assert "Advocaat mr. De Wit" in response.content.decode()
    response = client.post(
        reverse("privacy_rights:request_new") + f"?person={person.pk}",
        {
            "person": person.pk,
            "kind": RequestKind.ACCESS,
            "received_on": timezone.localdate().isoformat(),
        },
    )
    request = DataSubjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy_rights:request_detail", args=[request.pk])
    assert client.get(reverse("privacy_rights:request_list")).status_code == 200


def test_decision_form_errors_are_shown_next_to_the_field(officer, verified_client):
    person = make_world().case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.ERASURE, received_on=timezone.localdate(), by=officer
    )
    client = verified_client(officer)
    response = client.post(
        reverse("privacy_rights:request_decide", args=[request.pk]),
        {"decision": "erase", "reason": ""},
    )
    assert response.status_code == 200
    assert "reason" in response.context["decision_form"].errors
    person.refresh_from_db()
    assert person.last_name == "Smit"


def test_access_export_contains_the_persons_records_and_read_log(officer, media):
    team = make_team()
    case, causer = make_full_case(
        team, first="Grietje", last="Vlaskamp", born=BORN, street="Merelhof", media=media
    )
    request = services.request_register(
        person=causer, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )
    services.export_start(request=request, by=officer)
    assert export.run(request.pk) is True
    assert export.run(request.pk) is False  # a second delivery does nothing
    request.refresh_from_db()
    assert request.task_state == ExportState.DONE and request.task_progress == 100
    data = json.loads(request.export_json.read())
    assert data["persons"][0]["last_name"] == "Vlaskamp"
    assert data["persons"][0]["date_of_birth"] == "1963-07-14"
    (case_data,) = data["cases"]
    assert case_data["number"] == case.number
    assert len(case_data["journal"]) == 2 and case_data["documents"][0]["title"]
    assert case_data["police_screenings"][0]["risk_level"]
    assert case_data["criteria"] and case_data["involved_organisations"]
    assert case_data["kris_check"]["target_group_check"]
    assert case_data["referrals"][0]["referrer_reference"] == "Dossier Vlaskamp"
    assert len(data["history"]["persons"][0]) >= 2  # created, then the phone changed
    # Who read it: organisation and role, never the employee's name.
    readers = {(row["organisation"], row["role"]) for row in data["read_log"]}
    with translation.override("nl"):
        casemanager, representative = (
            str(Role.CASEMANAGER.label),
            str(Role.PARTNER_REPRESENTATIVE.label),
        )
    assert (str(team.casemanager.organisation), casemanager) in readers
    assert (str(team.police_rep.organisation), representative) in readers
    assert all("user" not in row for row in data["read_log"])
    log_text = json.dumps(data["read_log"])
    assert team.casemanager.last_name not in log_text
    assert team.police_rep.last_name not in log_text
    pdf = request.export_pdf.read()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_downloads_are_permission_checked_and_logged(officer, media, verified_client):
    world = make_world()
    person = world.case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )
    url = reverse("privacy_rights:export_download", args=[request.pk, "pdf"])
    assert verified_client(officer).get(url).status_code == 404  # not produced yet
    services.export_start(request=request, by=officer)
    export.run(request.pk)
    assert verified_client(officer).get(url).status_code == 404  # not reviewed: not released
    services.export_review_record(request=request, by=officer, withhold=[])
    services.export_start(request=request, by=officer)
    export.run(request.pk)
    assert verified_client(world.coordinator).get(url).status_code == 403
    response = verified_client(officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = ReadLogEntry.objects.get(what=ReadWhat.EXPORT)
    assert entry.user == officer and entry.person_ids == [person.pk]
    bad = reverse("privacy_rights:export_download", args=[request.pk, "exe"])
    assert verified_client(officer).get(bad).status_code == 404


def test_progress_fragment_polls_while_running_and_stops_when_done(officer, verified_client):
    person = make_world().case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )
    DataSubjectRequest.objects.filter(pk=request.pk).update(
        task_state=ExportState.RUNNING, task_progress=40
    )
    client = verified_client(officer)
    url = reverse("privacy_rights:export_progress", args=[request.pk])
    body = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="40"' in body
    assert "<html" not in body
    DataSubjectRequest.objects.filter(pk=request.pk).update(
        task_state=ExportState.DONE, task_progress=100
    )
    body = client.get(url).content.decode()
    assert "hx-trigger" not in body


def test_an_erased_person_cannot_get_a_new_request(officer):
    person = make_world().case.persons.get()
    Person.objects.filter(pk=person.pk).update(erased_at=timezone.now())
    person.refresh_from_db()
    with pytest.raises(services.RequestRefused):
        services.request_register(
            person=person, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
        )


@pytest.mark.parametrize("count", [1, 50])
def test_request_pages_query_budget(officer, verified_client, django_assert_max_num_queries, count):
    world = make_world()
    person = world.case.persons.get()
    requests = [
        services.request_register(
            person=person, kind=RequestKind.ACCESS, received_on=dt.date(2026, 11, 2), by=officer
        )
        for _ in range(count)
    ]
    client = verified_client(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("privacy_rights:request_list"))
    assert response.content.decode().count(world.case.number) == count
    with django_assert_max_num_queries(15):  # + the latest export review
        client.get(reverse("privacy_rights:request_detail", args=[requests[-1].pk]))


def test_a_restricted_person_is_not_found_by_partners_in_the_case_search(officer, verified_client):
    world = make_world()
    person = world.case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.RESTRICTION, received_on=timezone.localdate(), by=officer
    )
    url = reverse("cases:list")
    body = verified_client(world.police_rep).get(url, {"q": "Smit"}).content.decode()
    assert world.case.number in body  # before the restriction
    services.person_restrict(request=request, by=officer, reason="Juistheid betwist.")
    body = verified_client(world.police_rep).get(url, {"q": "Smit"}).content.decode()
    assert world.case.number not in body
    body = verified_client(world.casemanager).get(url, {"q": "Smit"}).content.decode()
    assert world.case.number in body
    body = verified_client(world.coordinator).get(url, {"q": "Smit"}).content.decode()
    assert world.case.number in body


def test_a_neighbours_export_holds_their_data_not_the_causers(officer, media):
    team = make_team()
    case, _causer = make_full_case(
        team,
        first="Grietje",
        last="Vlaskamp",
        born=BORN,
        street="Merelhof",
        neighbour=("Henk", "Oosterbeek"),
        media=media,
    )
    neighbour = Person.objects.get(case=case, last_name="Oosterbeek")
    from cases import services as case_services
    from cases.choices import Confidentiality, JournalKind

    case_services.journal_entry_add(
        case=case,
        by=team.casemanager,
        kind=JournalKind.CONTACT,
        occurred_on=dt.date(2019, 5, 1),
        participants="Henk Oosterbeek",
        text="Gesprek met de buurman over de overlast.",
        confidentiality=Confidentiality.ALL_INVOLVED,
    )
    request = services.request_register(
        person=neighbour, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )
    services.export_start(request=request, by=officer)
    export.run(request.pk)
    request.refresh_from_db()
    raw = request.export_json.read().decode()
    data = json.loads(raw)
    assert data["persons"][0]["last_name"] == "Oosterbeek"
    (case_data,) = data["cases"]
    assert case_data["limited_to_the_person"] is True
    assert [e["participants"] for e in case_data["journal"]] == ["Henk Oosterbeek"]
    assert len(data["persons"]) == 1  # not the causer's row
    # The causer's data: police detail, birth date, address, health, the home visit.
    for secret in ["Wapenbezit", "1963", "Merelhof", "GGZ", "Huisbezoek", "aangehouden"]:
        assert secret not in raw
    assert request.export_pdf.read().startswith(b"%PDF")


def test_the_request_pages_are_in_the_read_log(officer, verified_client):
    world = make_world()
    person = world.case.persons.get()
    client = verified_client(officer)
    client.get(reverse("privacy_rights:request_new"), {"last_name": "Smit"})
    found = ReadLogEntry.objects.get(what=ReadWhat.DATA_SUBJECT_REQUEST)
    assert found.person_ids == [person.pk] and found.user == officer
    request = services.request_register(
        person=person, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )
    client.get(reverse("privacy_rights:request_detail", args=[request.pk]))
    entry = ReadLogEntry.objects.filter(what=ReadWhat.DATA_SUBJECT_REQUEST).order_by("-pk")[0]
    assert entry.object_id == request.pk and entry.case_id == world.case.pk
    assert entry.basis == "privacy_audit"


def test_erasure_page_warns_when_the_persons_case_is_open(officer, verified_client):
    world = make_world()
    person = world.case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.ERASURE, received_on=timezone.localdate(), by=officer
    )
    url = reverse("privacy_rights:request_detail", args=[request.pk])
    response = verified_client(officer).get(url)
    assert response.context["open_cases"] == [world.case.number]
    assert "utrecht-alert--warning" in response.content.decode()
    world.case.status = "closed"
    world.case.save()
    response = verified_client(officer).get(url)
    assert response.context["open_cases"] == []


def test_the_officer_withholds_passages_about_others_and_the_review_is_recorded(
    officer, media, verified_client, settings
):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English source texts
    team = make_team()
    case, causer = make_full_case(
        team,
        first="Grietje",
        last="Vlaskamp",
        born=BORN,
        street="Merelhof",
        neighbour=("Henk", "Oosterbeek"),
        media=media,
    )
    entry = case.journal_entries.order_by("pk").first()
    request = services.request_register(
        person=causer, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )
    client = verified_client(officer)
    url = reverse("privacy_rights:export_review", args=[request.pk])
    page = client.get(url).content.decode()
    assert f'value="journal:{entry.pk}"' in page and entry.text in page
    referral = case.referrals.get()
    response = client.post(
        url,
        {"withhold": [f"journal:{entry.pk}", f"referral:{referral.pk}"], "note": "Buren"},
    )
    assert response.status_code == 302
    review = request.export_reviews.get()
    assert review.reviewed_by == officer and review.note == "Buren"
    assert {(w["kind"], w["id"]) for w in review.withheld} == {
        ("journal", entry.pk),
        ("referral", referral.pk),
    }
    assert all(entry.text not in w["what"] for w in review.withheld)  # no content kept
    services.export_start(request=request, by=officer)
    export.run(request.pk)
    request.refresh_from_db()
    data = json.loads(request.export_json.read())
    (case_data,) = data["cases"]
    texts = [j["text"] for j in case_data["journal"]]
    assert entry.text not in texts and any("Withheld" in t for t in texts)
    assert "Withheld" in case_data["referrals"][0]["description"]
    assert "Withheld" in case_data["referrals"][0]["referrer_reference"]
    detail = client.get(reverse("privacy_rights:request_detail", args=[request.pk]))
    assert "2 passages withheld" in detail.content.decode()
    pdf = reverse("privacy_rights:export_download", args=[request.pk, "pdf"])
    assert client.get(pdf).status_code == 200


def test_a_passage_of_another_case_cannot_be_withheld_or_smuggled(officer):
    person = make_world().case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )
    with pytest.raises(services.RequestRefused):
        services.export_review_record(request=request, by=officer, withhold=["journal:999999"])


def test_an_erasure_the_ledger_cannot_record_is_refused_in_dutch(
    officer, verified_client, settings, tmp_path
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.ERASURE_LEDGER_PATH = blocker / "erasures.jsonl"
    person = make_world().case.persons.get()
    request = services.request_register(
        person=person, kind=RequestKind.ERASURE, received_on=timezone.localdate(), by=officer
    )
    response = verified_client(officer).post(
        reverse("privacy_rights:request_decide", args=[request.pk]),
        {"decision": "erase", "reason": "Verzoek toegewezen."},
    )
    assert response.status_code == 200
    assert "er is niets verwijderd" in response.content.decode()
    person.refresh_from_db()
    assert person.last_name == "Smit" and person.erased_at is None
