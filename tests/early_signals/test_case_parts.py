"""Early signals inside a case (issue 17, follow-up): the case page and the case history show
them to the case team; the access export holds them and offers their free text for review;
a deleted draft gives its signals back; a duplicate case's signals move with it; retention
of the first of a linked group keeps the rest linked; erasure of any person of a case
deletes all its signals; the figures hide small numbers; the demo seeds them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.choices import CaseStatus, PersonRole
from cases.models import Case, Referral
from early_signals import services
from early_signals.choices import NoteKind, SignalOutcome, SignalStatus
from early_signals.models import Signal, SignalNote
from notifications.models import Notification
from partners import access as partners_access
from partners.choices import Role
from partners.models import Organisation
from privacy import export, processing
from privacy import selectors as privacy_selectors
from privacy import services as privacy_services
from privacy.models import RequestKind
from tests.early_signals.setup import make_world, record
from tests.factories.cases import PersonFactory
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _submitted_case(world, *, house_number=12):
    referral = case_services.referral_start(by=world.mitros_referrer)
    referral.case.postcode, referral.case.house_number = "3511AB", house_number
    referral.case.casemanager = world.casemanager
    referral.case.save()
    case_services._submit_referral(referral.case, world.mitros_referrer, {"referral": referral})
    Case.objects.filter(pk=referral.case_id).update(status=CaseStatus.REFERRED)
    return Case.objects.get(pk=referral.case_id)


def _age(signal, days):
    Signal.objects.filter(pk=signal.pk).update(updated_at=timezone.now() - dt.timedelta(days=days))


# --- The case page and the case history ------------------------------------------------------


def test_the_case_page_shows_the_signals_to_the_case_team_only(verified_client, world):
    signal = record(world.mitros_rep)
    case = _submitted_case(world)
    url = reverse("cases:detail", args=[case.pk])
    body = verified_client(world.casemanager).get(url).content.decode()
    assert f'data-early-signal="{signal.pk}"' in body
    assert "Gesprek gevoerd en een waarschuwingsbrief gestuurd." in body

    # The referring organisation sees the case page (its own referral), not the signals:
    # they are the case team's, as on the intake page.
    response = verified_client(world.mitros_referrer).get(url)
    if response.status_code == 200:
        assert 'id="early-signals"' not in response.content.decode()
    else:
        assert response.status_code == 404


def test_a_case_without_signals_has_no_signals_section(verified_client, world):
    case = _submitted_case(world, house_number=99)
    body = verified_client(world.casemanager).get(reverse("cases:detail", args=[case.pk]))
    assert 'id="early-signals"' not in body.content.decode()


def test_the_case_history_shows_the_signals_changes_to_the_case_team(verified_client, world):
    signal = record(world.mitros_rep)
    services.signal_note_add(signal=signal, kind=NoteKind.NOTE, text="x", by=world.coordinator)
    case = _submitted_case(world)
    url = reverse("cases:history", args=[case.pk])
    client = verified_client(world.casemanager)
    body = client.get(url).content.decode()
    assert "Vroegsignaal van" in body
    assert "Opgenomen in een casus" in body  # the status change when it joined the case
    assert "Aanmelding door" in body  # the case's own items are there too
    # The filter on the kind lists only the signals' changes.
    only = client.get(url, {"soort": "early_signal"}).content.decode()
    assert "Vroegsignaal van" in only and "Aanmelding door" not in only
    item = client.get(url, {"item": f"early_signal:{signal.pk}"}).content.decode()
    assert "Vroegsignaal van" in item


def test_the_history_of_signals_is_not_shown_outside_the_case_team(world):
    from cases.selectors_history import case_changes_for_user

    record(world.mitros_rep)
    case = _submitted_case(world)
    assert any(
        c.source == "early_signal" for c in case_changes_for_user(user=world.casemanager, case=case)
    )
    assert not any(
        c.source == "early_signal"
        for c in case_changes_for_user(user=world.mitros_referrer, case=case)
    )


def test_case_page_and_history_keep_their_query_budget(
    verified_client, world, django_assert_max_num_queries
):
    """The same number of queries for a case with one signal as for one with ten."""
    record(world.mitros_rep, house_number=1)
    one = _submitted_case(world, house_number=1)
    for number in range(10):
        record(world.portaal_rep, house_number=2, note=f"Signaal {number}")
    ten = _submitted_case(world, house_number=2)
    client = verified_client(world.casemanager)
    client.get(reverse("cases:detail", args=[one.pk]))  # warm caches (session, groups)
    for name, budget in (("cases:detail", 45), ("cases:history", 40)):
        with django_assert_max_num_queries(budget) as single:
            assert client.get(reverse(name, args=[one.pk])).status_code == 200
        with django_assert_max_num_queries(len(single.captured_queries)):
            body = client.get(reverse(name, args=[ten.pk])).content.decode()
        assert "Signaal 9" in body or name == "cases:history"


# --- The access export (AVG art. 15) ---------------------------------------------------------


def _officer():
    officer = UserFactory(
        organisation=Organisation.objects.get(name="U Centraal"), roles=[Role.PRIVACY_OFFICER]
    )
    partners_access.sync_user_organisation_group(officer)
    return officer


def _access_request(person, officer):
    return privacy_services.request_register(
        person=person, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )


def test_the_access_export_holds_the_signals_of_the_case_and_offers_them_for_review(
    world, settings
):
    settings.LANGUAGE_CODE = "en"
    signal = record(world.mitros_rep, note="Buurvrouw Jansen hoort 's nachts geschreeuw.")
    services.signal_note_add(
        signal=signal, kind=NoteKind.ADVICE, text="Advies: praat met Jansen.", by=world.coordinator
    )
    case = _submitted_case(world)
    causer = PersonFactory(case=case, role=PersonRole.CAUSER)
    officer = _officer()
    request = _access_request(causer, officer)

    (case_data,) = export.collect(request)["cases"]
    (row,) = case_data["early_signals"]
    assert row["organisation"] == "Mitros"
    assert row["description"] == "Buurvrouw Jansen hoort 's nachts geschreeuw."
    assert row["what_the_organisation_does"].startswith("Gesprek gevoerd")
    assert [n["text"] for n in row["notes"]] == ["Advies: praat met Jansen."]
    assert row["withheld"] is False

    candidates = {r["key"]: r for r in privacy_selectors.export_review_candidates(request=request)}
    offered = candidates[f"early_signal:{signal.pk}"]
    assert "Buurvrouw Jansen" in offered["text"] and "praat met Jansen" in offered["text"]
    assert str(offered["kind_label"]) == "Early signals"

    privacy_services.export_review_record(
        request=request, by=officer, withhold=[f"early_signal:{signal.pk}"]
    )
    data = export.collect(request)
    (row,) = data["cases"][0]["early_signals"]
    assert row["withheld"] is True
    assert "Jansen" not in json.dumps(row, default=str)
    assert "Gesprek gevoerd" not in json.dumps(row, default=str)
    assert row["organisation"] == "Mitros"  # who and when stay
    html = render_to_string("privacy/export_pdf.html", {"data": data})
    assert "Early signals" in html and "Withheld" in html


def test_the_pdf_of_the_export_lists_the_signals(world, settings):
    settings.LANGUAGE_CODE = "en"
    record(world.mitros_rep, note="Veel geluid na middernacht.")
    case = _submitted_case(world)
    request = _access_request(PersonFactory(case=case, role=PersonRole.CAUSER), _officer())
    html = render_to_string("privacy/export_pdf.html", {"data": export.collect(request)})
    assert "Early signals" in html and "Veel geluid na middernacht." in html


def test_a_neighbours_export_holds_no_signals(world):
    record(world.mitros_rep, note="Buurman klaagt.")
    case = _submitted_case(world)
    PersonFactory(case=case, role=PersonRole.CAUSER)
    neighbour = PersonFactory(case=case, role=PersonRole.NEIGHBOUR)
    request = _access_request(neighbour, _officer())
    assert export.collect(request)["cases"][0]["early_signals"] == []
    assert not [
        r
        for r in privacy_selectors.export_review_candidates(request=request)
        if r["kind"] == "early_signal"
    ]


# --- A deleted draft, an attached duplicate ---------------------------------------------------


def _purge_draft(referral):
    """The daily job deletes a draft past its period whose referrer was told."""
    long_ago = timezone.now() - dt.timedelta(days=400)
    Referral.objects.filter(pk=referral.pk).update(updated_at=long_ago)
    privacy_services.draft_purge_notify()
    Notification.objects.filter(key__startswith=f"draft_purge:{referral.pk}:").update(
        created_at=long_ago
    )
    assert privacy_services.draft_purge() == 1


def test_a_deleted_draft_gives_its_signals_back_invited_or_open(world):
    invited = record(world.mitros_rep)
    linked = record(world.portaal_rep)
    services.signal_link(signal=invited, other=linked, by=world.coordinator)
    services.signal_invite_referral(signal=invited, advice="", by=world.coordinator)
    referral = services.signal_referral_start(signal=invited, by=world.mitros_referrer)
    case_id = referral.case_id
    assert set(Signal.objects.values_list("status", flat=True)) == {SignalStatus.IN_CASE}

    _purge_draft(referral)

    assert not Case.objects.filter(pk=case_id).exists()
    invited.refresh_from_db()
    linked.refresh_from_db()
    assert (invited.case, invited.status, invited.outcome) == (
        None,
        SignalStatus.REFERRAL_INVITED,
        "",
    )
    assert (linked.case, linked.status, linked.outcome) == (None, SignalStatus.OPEN, "")
    assert linked.linked_to_id == invited.pk  # still together for the coordinator
    # The invitation holds again: the referral can be started once more.
    again = services.signal_referral_start(signal=invited, by=world.mitros_referrer)
    assert Signal.objects.get(pk=invited.pk).case_id == again.case_id


def test_a_released_signal_reads_as_invited_to_its_organisation(verified_client, world):
    signal = record(world.mitros_rep)
    services.signal_invite_referral(signal=signal, advice="", by=world.coordinator)
    _purge_draft(services.signal_referral_start(signal=signal, by=world.mitros_referrer))
    body = verified_client(world.mitros_rep).get(reverse("early_signals:detail", args=[signal.pk]))
    text = body.content.decode()
    assert "Uitgenodigd om aan te melden" in text
    assert "Opgenomen in een casus" not in text


def test_an_attached_duplicate_brings_its_signals_to_the_open_case(world):
    first = _submitted_case(world, house_number=20)
    signal = record(world.mitros_rep, house_number=30)
    duplicate = _submitted_case(world, house_number=30)
    assert Signal.objects.get(pk=signal.pk).case == duplicate
    Case.objects.filter(pk__in=[first.pk, duplicate.pk]).update(status=CaseStatus.INTAKE)
    case_services._move_to_open_case(
        Case.objects.get(pk=duplicate.pk), world.coordinator, {"into": first}
    )
    signal.refresh_from_db()
    assert signal.case == first and signal.status == SignalStatus.IN_CASE
    assert Signal.history.filter(id=signal.pk, case_id=first.pk).exists()  # with history


def test_attach_through_the_transition_moves_the_signals(world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    first = _submitted_case(world, house_number=20)
    signal = record(world.mitros_rep, house_number=30)
    duplicate = _submitted_case(world, house_number=30)
    case_services.case_transition(
        case=duplicate, to=CaseStatus.ATTACHED, by=world.coordinator, into=first
    )
    assert Signal.objects.get(pk=signal.pk).case == first


# --- Retention of a linked group -------------------------------------------------------------


def test_deleting_the_first_of_a_linked_group_keeps_the_others_linked(settings, world):
    settings.EARLY_SIGNAL_RETENTION_MONTHS = 6
    first = record(world.mitros_rep)
    second = record(world.portaal_rep)
    third = record(world.police_rep)
    services.signal_link(signal=first, other=second, by=world.coordinator)
    services.signal_link(signal=first, other=third, by=world.coordinator)
    _age(first, 200)

    assert services.retention_purge() == 1
    assert not Signal.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.linked_to_id is None  # the oldest one left leads the group
    assert third.linked_to_id == second.pk
    assert sorted(s.pk for s in services._group(second)) == sorted([second.pk, third.pk])


def test_deleting_the_first_of_a_pair_leaves_the_other_alone(settings, world):
    settings.EARLY_SIGNAL_RETENTION_MONTHS = 6
    first = record(world.mitros_rep)
    second = record(world.portaal_rep)
    services.signal_link(signal=first, other=second, by=world.coordinator)
    _age(first, 200)
    assert services.retention_purge() == 1
    second.refresh_from_db()
    assert second.linked_to_id is None


# --- Erasure ---------------------------------------------------------------------------------


def test_erasing_any_person_of_a_case_deletes_all_its_signals(world):
    about_causer = record(world.mitros_rep, note="De bewoner schreeuwt.")
    about_neighbour = record(world.police_rep, note="Buurvrouw belde de politie.")
    elsewhere = record(world.portaal_rep, house_number=50)
    services.signal_note_add(
        signal=about_causer, kind=NoteKind.NOTE, text="x", by=world.coordinator
    )
    case = _submitted_case(world)
    PersonFactory(case=case, role=PersonRole.CAUSER)
    neighbour = PersonFactory(case=case, role=PersonRole.NEIGHBOUR)
    erasure = privacy_services.request_register(
        person=neighbour,
        kind=RequestKind.ERASURE,
        received_on=timezone.localdate(),
        by=world.coordinator,
    )
    privacy_services.person_erase(request=erasure, by=world.coordinator, reason="Toegewezen.")

    ids = [about_causer.pk, about_neighbour.pk]
    assert not Signal.objects.filter(pk__in=ids).exists()
    assert not Signal.history.model.objects.filter(id__in=ids).exists()
    assert not SignalNote.objects.exists()
    assert Signal.objects.filter(pk=elsewhere.pk).exists()  # not part of the case


def test_the_register_states_that_erasure_deletes_the_signals_of_the_case(settings):
    settings.LANGUAGE_CODE = "en"
    lines = " ".join(str(line) for line in processing.retention())
    assert "deleted when any person of that case is erased" in lines


# --- Figures ---------------------------------------------------------------------------------


def _report_rows():
    from figures.report import build_report
    from figures.selectors import Scope

    today = timezone.localdate()
    report = build_report(Scope(start=today.replace(month=1, day=1), end=today), today=today)
    (figure,) = [f for f in report.figures if f.key == "early_signals"]
    return figure.rows


@pytest.mark.parametrize(
    "recorded, referred, shown",
    [
        (2, 1, ["< 5", "< 5"]),  # both small
        (7, 1, ["7", "< 5"]),  # few became a referral
        (7, 6, ["7", "< 5"]),  # few did not: 7 − 6 would tell
        (10, 5, ["10", "5"]),
        (6, 0, ["6", "0"]),  # a zero describes nobody
    ],
)
def test_the_signals_per_network_hide_small_numbers(world, recorded, referred, shown):
    for number in range(recorded):
        signal = record(world.mitros_rep, house_number=100 + number)
        if number < referred:
            Signal.objects.filter(pk=signal.pk).update(status=SignalStatus.IN_CASE)
    assert _report_rows() == [["Netwerk Binnenstad", *shown]]


# --- Closing keeps the outcome honest --------------------------------------------------------


def test_a_closed_signal_is_not_taken_back_by_a_deleted_draft(world):
    """Only the draft's own signals are released; a closed one elsewhere stays closed."""
    closed = record(world.portaal_rep, house_number=77)
    services.signal_close(
        signal=closed, outcome=SignalOutcome.IMPROVED, outcome_note="", by=world.coordinator
    )
    invited = record(world.mitros_rep)
    services.signal_invite_referral(signal=invited, advice="", by=world.coordinator)
    _purge_draft(services.signal_referral_start(signal=invited, by=world.mitros_referrer))
    closed.refresh_from_db()
    assert (closed.status, closed.outcome) == (SignalStatus.CLOSED, SignalOutcome.IMPROVED)
