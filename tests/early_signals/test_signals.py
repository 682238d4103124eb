"""Early signals (issue 17): recording, need to know, the coordinator's steps, the link into
the referral, the intake, retention, read log and query budgets."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import ReadLogEntry, ReadWhat
from cases import services as case_services
from cases.choices import CaseStatus
from cases.models import Case, Referral
from early_signals import services
from early_signals.choices import NoteKind, SignalOutcome, SignalStatus
from early_signals.models import Signal, SignalNote
from partners.models import District
from privacy import services as privacy_services
from tests.early_signals.setup import basis_for, make_world, record

pytestmark = pytest.mark.django_db

LIST = reverse("early_signals:list")
NEW = reverse("early_signals:new")


def detail(signal):
    return reverse("early_signals:detail", args=[signal.pk])


@pytest.fixture
def world():
    return make_world()


# --- Recording ---------------------------------------------------------------------------


def test_partner_signals_an_address_and_the_district_is_proposed_from_the_postcode(
    verified_client, world
):
    client = verified_client(world.mitros_rep)
    basis = basis_for(world.mitros_rep)
    response = client.post(
        NEW,
        {
            "postcode": "3511 ab",
            "house_number": "12",
            "nuisance_forms": ["noise", "hoarding"],
            "nuisance_since": "2026-09-01",
            "own_actions": "Gesprek gevoerd.",
            "data_category": "ordinary",
            "lawful_basis": basis.pk,
        },
    )
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(signal)
    assert signal.postcode == "3511AB"
    assert signal.district == District.objects.get(name="Binnenstad")
    assert signal.network is not None and signal.network.name == "Netwerk Binnenstad"
    assert signal.organisation == world.mitros_rep.organisation
    assert signal.status == SignalStatus.OPEN
    assert signal.history.count() == 1


def test_bad_input_gives_dutch_messages_next_to_the_fields_and_keeps_what_was_typed(
    verified_client, world
):
    client = verified_client(world.mitros_rep)
    response = client.post(
        NEW,
        {"postcode": "12345", "house_number": "twaalf", "own_actions": "Brief gestuurd."},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vul een geldige postcode in" in body
    assert "Kies minstens één overlastvorm" in body
    assert "Brief gestuurd." in body and 'value="12345"' in body
    assert not Signal.objects.exists()


@pytest.mark.parametrize("who", ["casemanager", "manager", "coordinator"])
def test_only_partners_and_referrers_may_signal(verified_client, world, who):
    assert verified_client(getattr(world, who)).get(NEW).status_code == 404


# --- Need to know ----------------------------------------------------------------------------


def test_an_organisation_never_learns_that_another_signalled_the_same_address(
    verified_client, world
):
    mitros = record(world.mitros_rep)
    portaal = record(world.portaal_rep)
    services.signal_link(signal=mitros, other=portaal, by=world.coordinator)

    client = verified_client(world.portaal_rep)
    assert client.get(detail(mitros)).status_code == 404
    own = client.get(detail(portaal)).content.decode()
    listing = client.get(LIST).content.decode()
    for page in (own, listing):
        assert "Mitros" not in page
        assert f'data-linked="{mitros.pk}"' not in page
        assert detail(mitros) not in page
    assert detail(portaal) in listing

    coordinator = verified_client(world.coordinator).get(detail(portaal)).content.decode()
    assert "Mitros" in coordinator and f'data-linked="{mitros.pk}"' in coordinator


@pytest.mark.parametrize("who", ["casemanager", "manager", "police_rep"])
def test_outsiders_get_404_on_a_signal(verified_client, world, who):
    signal = record(world.mitros_rep)
    client = verified_client(getattr(world, who))
    assert client.get(detail(signal)).status_code == 404
    url = reverse("early_signals:close", args=[signal.pk])
    assert client.post(url, {"close-outcome": "advised"}).status_code == 404


def test_the_signalling_organisation_may_not_handle_its_signal(verified_client, world):
    signal = record(world.mitros_rep)
    client = verified_client(world.mitros_referrer)
    assert client.get(detail(signal)).status_code == 200  # the organisation's, not the person's
    for name in ("note", "link", "invite", "close"):
        url = reverse(f"early_signals:{name}", args=[signal.pk])
        assert client.post(url, {}).status_code == 403


def test_the_organisation_sees_advice_and_outcome_but_not_the_coordinators_notes(
    verified_client, world
):
    signal = record(world.mitros_rep)
    services.signal_note_add(
        signal=signal, kind=NoteKind.NOTE, text="Intern: bekend adres", by=world.coordinator
    )
    services.signal_note_add(
        signal=signal, kind=NoteKind.ADVICE, text="Schakel het buurtteam in", by=world.coordinator
    )
    services.signal_close(
        signal=signal,
        outcome=SignalOutcome.ADVISED,
        outcome_note="Advies gegeven.",
        by=world.coordinator,
    )
    body = verified_client(world.mitros_rep).get(detail(signal)).content.decode()
    assert "Schakel het buurtteam in" in body
    assert "Advies gegeven." in body
    assert "Intern: bekend adres" not in body


def test_the_signal_page_writes_the_read_log(verified_client, world):
    signal = record(world.mitros_rep)
    verified_client(world.mitros_rep).get(detail(signal))
    row = ReadLogEntry.objects.get(what=ReadWhat.EARLY_SIGNAL, object_id=signal.pk)
    assert row.user_id == world.mitros_rep.pk
    assert row.basis == "signalling_organisation"


# --- The coordinator's steps -----------------------------------------------------------------


def test_coordinator_sees_open_signals_per_network_and_filters_on_one(verified_client, world):
    binnenstad = record(world.mitros_rep)
    overvecht = record(
        world.portaal_rep,
        postcode="3563AA",
        house_number=3,
        district=District.objects.get(name="Overvecht"),
    )
    client = verified_client(world.coordinator)
    body = client.get(LIST).content.decode()
    assert "Netwerk Binnenstad" in body and "Netwerk Overvecht" in body
    filtered = client.get(LIST, {"netwerk": overvecht.network_id}).content.decode()
    assert f'data-signal="{overvecht.pk}"' in filtered
    assert f'data-signal="{binnenstad.pk}"' not in filtered


def test_close_without_outcome_rerenders_with_the_message_and_the_text(verified_client, world):
    signal = record(world.mitros_rep)
    client = verified_client(world.coordinator)
    response = client.post(
        reverse("early_signals:close", args=[signal.pk]),
        {"close-outcome_note": "Uitleg die blijft staan"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kies de uitkomst" in body
    assert "Uitleg die blijft staan" in body
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN


def test_link_invite_and_the_referral_starts_filled_in_from_the_signal(verified_client, world):
    mitros = record(world.mitros_rep)
    portaal = record(world.portaal_rep)
    coordinator = verified_client(world.coordinator)
    response = coordinator.post(
        reverse("early_signals:link", args=[mitros.pk]), {"link-other": portaal.pk}
    )
    assert response.status_code == 302
    portaal.refresh_from_db()
    assert portaal.linked_to_id == mitros.pk
    coordinator.post(
        reverse("early_signals:invite", args=[mitros.pk]), {"invite-advice": "Graag aanmelden."}
    )
    mitros.refresh_from_db()
    assert mitros.status == SignalStatus.REFERRAL_INVITED

    # A representative without the right to refer sees the invitation, not the button.
    rep_page = verified_client(world.mitros_rep).get(detail(mitros)).content.decode()
    assert "Graag aanmelden." in rep_page
    assert reverse("early_signals:refer", args=[mitros.pk]) not in rep_page

    client = verified_client(world.mitros_referrer)
    response = client.post(reverse("early_signals:refer", args=[mitros.pk]))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:referral_edit", args=[referral.pk])
    form = client.get(response["Location"]).content.decode()
    assert 'value="3511 AB"' in form and 'value="12"' in form
    assert "Gesprek gevoerd en een waarschuwingsbrief gestuurd." in form
    assert 'value="noise" checked' in form.replace('checked=""', "checked") or (
        'value="noise"' in form and referral.nuisance_forms == ["noise", "pollution"]
    )
    assert referral.organisation == world.mitros_rep.organisation
    assert referral.case.district == District.objects.get(name="Binnenstad")
    assert set(Signal.objects.filter(case=referral.case)) == {mitros, portaal}
    assert set(Signal.objects.values_list("status", flat=True)) == {SignalStatus.IN_CASE}


def test_a_partner_without_the_right_to_refer_may_not_start_the_referral(verified_client, world):
    signal = record(world.mitros_rep)
    services.signal_invite_referral(signal=signal, advice="", by=world.coordinator)
    url = reverse("early_signals:refer", args=[signal.pk])
    assert verified_client(world.mitros_rep).post(url).status_code == 403
    assert not Referral.objects.exists()


# --- Intake: the signals become part of the case ---------------------------------------------


def _submitted_case(world, *, house_number=12):
    referral = case_services.referral_start(by=world.mitros_referrer)
    referral.case.postcode, referral.case.house_number = "3511AB", house_number
    referral.case.casemanager = world.casemanager
    referral.case.save()
    case_services._submit_referral(referral.case, world.mitros_referrer, {"referral": referral})
    Case.objects.filter(pk=referral.case_id).update(status=CaseStatus.REFERRED)
    return Case.objects.get(pk=referral.case_id)


def test_a_referral_for_the_address_takes_in_its_open_signals_and_intake_shows_them(
    verified_client, world
):
    mitros = record(world.mitros_rep)
    police = record(world.police_rep)
    elsewhere = record(world.portaal_rep, house_number=14)
    closed = record(world.portaal_rep)
    services.signal_close(
        signal=closed, outcome=SignalOutcome.NO_FOLLOW_UP, outcome_note="", by=world.coordinator
    )
    case = _submitted_case(world)

    assert set(Signal.objects.filter(case=case)) == {mitros, police}
    elsewhere.refresh_from_db()
    assert elsewhere.case is None
    page = verified_client(world.casemanager).get(reverse("cases:intake", args=[case.pk]))
    body = page.content.decode()
    assert f'data-early-signal="{mitros.pk}"' in body
    assert f'data-early-signal="{police.pk}"' in body
    assert f'data-early-signal="{elsewhere.pk}"' not in body


def test_intake_without_signals_shows_no_section(verified_client, world):
    case = _submitted_case(world, house_number=99)
    body = verified_client(world.casemanager).get(reverse("cases:intake", args=[case.pk]))
    assert 'id="early-signals"' not in body.content.decode()


# --- Retention -------------------------------------------------------------------------------


def _age(signal, days):
    Signal.objects.filter(pk=signal.pk).update(updated_at=timezone.now() - dt.timedelta(days=days))


def test_retention_deletes_closed_and_unfollowed_signals_after_the_period(settings, world):
    settings.EARLY_SIGNAL_RETENTION_MONTHS = 6
    old_closed = record(world.mitros_rep)
    services.signal_close(
        signal=old_closed, outcome=SignalOutcome.IMPROVED, outcome_note="", by=world.coordinator
    )
    services.signal_note_add(signal=old_closed, kind="note", text="x", by=world.coordinator)
    forgotten = record(world.portaal_rep)
    recent = record(world.police_rep)
    in_case = record(world.mitros_rep, house_number=40)
    case = _submitted_case(world, house_number=40)
    for signal in (old_closed, forgotten, in_case):
        _age(signal, 200)
    _age(recent, 150)

    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"signal {old_closed.pk} " in text and f"signal {forgotten.pk} " in text
    assert f"signal {recent.pk} " not in text and f"signal {in_case.pk} " not in text
    assert "EARLY_SIGNAL_RETENTION_MONTHS" in text
    assert Signal.objects.count() == 4  # the dry run changes nothing

    counts = privacy_services.retention_daily()
    assert counts["early_signals"] == 2
    assert set(Signal.objects.all()) == {recent, in_case}
    assert not Signal.history.model.objects.filter(id__in=[old_closed.pk, forgotten.pk]).exists()
    assert not SignalNote.objects.exists()
    assert Signal.objects.get(pk=in_case.pk).case == case


def test_signals_of_a_case_go_with_the_case(world):
    signal = record(world.mitros_rep)
    case = _submitted_case(world)
    from cases.purge import case_purges_run

    counts = case_purges_run(case=case)
    assert counts["early_signals"] == 1
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_the_register_states_the_retention_of_signals(settings):
    from privacy import processing

    settings.EARLY_SIGNAL_RETENTION_MONTHS = 4
    assert any("EARLY_SIGNAL_RETENTION_MONTHS" in line for line in processing.retention())


# --- Query budgets ---------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_list_pages_keep_their_query_budget(
    verified_client, world, django_assert_max_num_queries, count
):
    for number in range(count):
        record(world.mitros_rep, house_number=number + 1)
    for user in (world.coordinator, world.mitros_rep):
        client = verified_client(user)
        with django_assert_max_num_queries(14):
            response = client.get(LIST)
        assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_detail_page_keeps_its_query_budget(
    verified_client, world, django_assert_max_num_queries, count
):
    signal = record(world.mitros_rep)
    for _number in range(count):
        other = record(world.portaal_rep)
        services.signal_note_add(signal=signal, kind="advice", text="advies", by=world.coordinator)
    services.signal_link(signal=signal, other=other, by=world.coordinator)
    for user in (world.coordinator, world.mitros_rep):
        client = verified_client(user)
        with django_assert_max_num_queries(16):
            response = client.get(detail(signal))
        assert response.status_code == 200


# --- Figures ---------------------------------------------------------------------------------


def test_the_annual_report_counts_signals_per_network_and_those_that_became_referrals(world):
    from figures.report import build_report
    from figures.selectors import Scope

    record(world.mitros_rep)
    record(world.portaal_rep, house_number=30)
    _submitted_case(world)
    today = timezone.localdate()
    report = build_report(Scope(start=today.replace(month=1, day=1), end=today), today=today)
    (figure,) = [f for f in report.figures if f.key == "early_signals"]
    # Two signals, one referred: small numbers are hidden as in every figure
    # (test_case_parts.py has the suppression cases).
    assert figure.rows == [["Netwerk Binnenstad", "< 5", "< 5"]]


@pytest.mark.parametrize(
    "today, months, cutoff",
    [
        (dt.date(2026, 12, 4), 6, dt.date(2026, 6, 4)),
        (dt.date(2026, 8, 31), 6, dt.date(2026, 2, 28)),  # no 31 February: the month's end
        (dt.date(2027, 1, 15), 1, dt.date(2026, 12, 15)),
    ],
)
def test_retention_cutoff(today, months, cutoff):
    from early_signals.domain import retention_cutoff

    assert retention_cutoff(today, months) == cutoff


@pytest.mark.parametrize(
    "data",
    [
        {"postcode": "3511AB", "house_number": "99999999999999999999"},
        {"postcode": "3511\x00AB", "house_number": "1", "own_actions": "a\x00b"},
        {"postcode": "3511AB", "house_number": "1", "district": "99999999999999"},
        {"postcode": "3511AB", "house_number": "1", "nuisance_forms": ["bestaat-niet"]},
        {"postcode": "3511AB", "house_number": "1", "nuisance_since": "0001-01-01"},
        {"postcode": "3511AB", "house_number": "1", "lawful_basis": "99999999999999999"},
        {"postcode": "3511AB", "house_number": "1", "own_actions": "x" * 20_000},
        {"postcode": "9999ZZ", "house_number": "1", "own_actions": "Gesprek."},
    ],
)
def test_odd_input_on_the_signal_form_is_refused_with_a_message_never_a_500(
    verified_client, world, data
):
    response = verified_client(world.mitros_rep).post(NEW, data)
    assert response.status_code == 200
    assert "utrecht-form-field-error-message" in response.content.decode() or (
        "fouten" in response.content.decode()
    )
    assert not Signal.objects.exists()


def test_the_list_writes_one_read_log_row(verified_client, world):
    record(world.mitros_rep)
    verified_client(world.coordinator).get(LIST)
    row = ReadLogEntry.objects.get(what=ReadWhat.EARLY_SIGNAL)
    assert row.user_id == world.coordinator.pk and row.basis == "coordinator"
