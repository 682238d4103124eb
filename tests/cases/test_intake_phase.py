"""Issue 11, "the intake is a phase": consent, screening, KRIS and criteria are asked,
answered and changed only while the case is in intake; afterwards the intake page shows what
was decided. A repeated click never makes a second request. Acceptance waits for the police
screening (answered or waived) and the KRIS check. Recidivism on the address alone is a
possible repeat the coordinator confirms or rejects."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases import keys, services
from cases.choices import CaseStatus, KrisResult, NuisanceForm, RecidivismDecision, RiskLevel
from cases.domain.workflow import TransitionRefused
from cases.models import Case, ConsentRequest, PoliceScreening, RecidivismMatch
from deadlines import kinds
from deadlines.models import Deadline
from notifications.models import Notification
from partners import access
from partners.choices import Role
from tests.cases import intake_steps
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    politie = OrganisationFactory(name="Politie", police=True)
    team = {
        "coordinator": UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        "casemanager": UserFactory(organisation=uc, roles=[Role.CASEMANAGER]),
        "corporation_rep": UserFactory(organisation=mitros, roles=[Role.PARTNER_REPRESENTATIVE]),
        "police_rep": UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE]),
        "mitros": mitros,
        "politie": politie,
    }
    for key in ("corporation_rep", "police_rep"):
        access.sync_user_organisation_group(team[key])
    return team


@pytest.fixture
def case(team):
    case = CaseFactory(
        status=CaseStatus.INTAKE, corporation=team["mitros"], casemanager=team["casemanager"]
    )
    ReferralFactory(case=case, organisation=team["mitros"], nuisance_forms=[NuisanceForm.NOISE])
    return case


def _url(name, case, *args):
    return reverse(f"cases:{name}", args=[case.pk, *args])


# --- Acceptance waits for screening and KRIS --------------------------------------------


def test_acceptance_waits_for_the_screening_and_the_kris_check(team, case):
    coordinator = team["coordinator"]
    intake_steps.assess_criteria(case, coordinator)
    intake_steps.give_consent(case, coordinator, team["corporation_rep"])
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(case=case, to=CaseStatus.ACCEPTED, by=coordinator)
    assert len(refused.value.reasons) == 2  # screening and KRIS
    # An open screening request is not an answer.
    screening = services.screening_request(case=case, by=coordinator)
    intake_steps.record_kris(case, coordinator)
    with pytest.raises(TransitionRefused, match="screening"):
        services.case_transition(case=case, to=CaseStatus.ACCEPTED, by=coordinator)
    services.screening_record(
        screening=screening, by=team["police_rep"], risk_level=RiskLevel.LOW, safety_advice="-"
    )
    case = services.case_transition(case=case, to=CaseStatus.ACCEPTED, by=coordinator)
    assert case.status == CaseStatus.ACCEPTED


def test_waiving_the_screening_needs_a_reason_and_the_case_team(team, case):
    with pytest.raises(ValueError):
        services.screening_waive(case=case, by=team["coordinator"], reason="  ")
    with pytest.raises(PermissionError):
        services.screening_waive(case=case, by=team["police_rep"], reason="Niet nodig")
    case = services.screening_waive(case=case, by=team["casemanager"], reason="Niet nodig")
    assert case.screening_waived_by == team["casemanager"]
    assert case.screening_waived_on == timezone.localdate()
    assert case.screening_waiver_reason == "Niet nodig"


def test_the_waiver_form_shows_its_message_next_to_the_field(team, case, verified_client):
    client = verified_client(team["coordinator"])
    response = client.post(_url("intake_screening_waive", case), {"waiver-reason": " "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "verplicht" in html and 'aria-invalid="true"' in html
    assert Case.objects.get(pk=case.pk).screening_waived_on is None


def test_kris_known_needs_the_contact_and_the_alignment(team, case):
    with pytest.raises(ValueError):
        services.kris_record(
            case=case,
            by=team["coordinator"],
            result=KrisResult.KNOWN,
            trajectory_manager_name="T. Regisseur",
            trajectory_manager_organisation="GGD",
        )
    check = services.kris_record(
        case=case,
        by=team["coordinator"],
        result=KrisResult.UNKNOWN,
        target_group_outcome="Niet in de doelgroep",
        registered_with_altrecht=True,
    )
    assert check.referred_to_altrecht is True  # "aangemeld bij Altrecht"


def test_the_kris_form_asks_registered_not_referred(team, case, verified_client):
    html = verified_client(team["coordinator"]).get(_url("intake", case)).content.decode()
    assert "kris-registered_with_altrecht" in html
    assert "kris-plans_aligned" in html


# --- A repeated click makes one request -----------------------------------------------


def test_a_repeated_consent_click_makes_one_request_deadline_and_inbox_item(
    team, case, verified_client, django_capture_on_commit_callbacks
):
    client = verified_client(team["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(_url("intake_consent", case))
    assert ConsentRequest.objects.filter(case=case).count() == 1
    assert Deadline.objects.filter(case=case, kind=kinds.CORPORATION_CONSENT).count() == 1
    assert Notification.objects.filter(recipient=team["corporation_rep"]).count() == 1


def test_no_new_consent_request_once_consent_is_given(team, case):
    intake_steps.give_consent(case, team["coordinator"], team["corporation_rep"])
    with pytest.raises(services.RequestStillOpenError):
        services.consent_request(case=case, by=team["coordinator"])


def test_the_database_holds_one_open_request_per_case(team, case):
    ConsentRequest.objects.create(
        case=case,
        corporation=team["mitros"],
        requested_by=team["coordinator"],
        requested_on=timezone.localdate(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentRequest.objects.create(
            case=case,
            corporation=team["mitros"],
            requested_by=team["coordinator"],
            requested_on=timezone.localdate(),
        )
    PoliceScreening.objects.create(
        case=case, requested_by=team["coordinator"], requested_on=timezone.localdate()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliceScreening.objects.create(
            case=case, requested_by=team["coordinator"], requested_on=timezone.localdate()
        )


# --- After the intake: read-only --------------------------------------------------------


@pytest.fixture
def accepted(team, case):
    return intake_steps.ready_for_acceptance(
        case, coordinator=team["coordinator"], corporation_rep=team["corporation_rep"]
    ) and services.case_transition(case=case, to=CaseStatus.ACCEPTED, by=team["coordinator"])


@pytest.mark.parametrize(
    "step",
    [
        lambda c, t: services.consent_request(case=c, by=t["coordinator"]),
        lambda c, t: services.screening_request(case=c, by=t["coordinator"]),
        lambda c, t: services.screening_waive(case=c, by=t["coordinator"], reason="x"),
        lambda c, t: intake_steps.record_kris(c, t["coordinator"]),
        lambda c, t: intake_steps.assess_criteria(c, t["coordinator"], met=False),
        lambda c, t: services.criteria_override_set(
            case=c, override=True, motivation="x", by=t["coordinator"]
        ),
    ],
    ids=["consent", "screening", "waiver", "kris", "criteria", "special situation"],
)
def test_after_acceptance_the_intake_steps_are_refused(step, team, accepted):
    with pytest.raises(services.IntakeClosed):
        step(accepted, team)


def test_after_acceptance_the_intake_page_shows_the_decision_only(team, accepted, verified_client):
    client = verified_client(team["coordinator"])
    html = client.get(_url("intake", accepted)).content.decode()
    for name in (
        "intake_consent",
        "intake_kris",
        "intake_screening_request",
        "intake_screening_waive",
        "intake_criteria",
        "intake_override",
        "intake_accept",
        "intake_redirect",
    ):
        assert _url(name, accepted) not in html, name
    assert 'role="status"' in html  # the intake is over
    response = client.post(_url("intake_consent", accepted))
    assert response.status_code == 200
    assert ConsentRequest.objects.filter(case=accepted).count() == 1


def test_a_redirected_case_refuses_the_corporations_late_answer(team, case):
    request = services.consent_request(case=case, by=team["coordinator"])
    services.case_transition(
        case=case,
        to=CaseStatus.REDIRECTED,
        by=team["coordinator"],
        motivation="Buurtbemiddeling",
        target="mediation",
    )
    with pytest.raises(services.IntakeClosed):
        services.consent_answer(
            request=request, decision="consent", reason="", by=team["corporation_rep"]
        )


# --- Recidivism -------------------------------------------------------------------------


def _earlier(*, closed_on, house_number=12, person=None):
    earlier = CaseFactory(
        status=CaseStatus.CLOSED,
        closed_on=closed_on,
        address_key=keys.address_key("3511AB", house_number, ""),
    )
    ReferralFactory(case=earlier, nuisance_forms=[NuisanceForm.NOISE])
    if person:
        PersonFactory(case=earlier, **person, person_key=keys.person_key(*person.values()))
    return earlier


def _new_referral(*, referred_on, person=None):
    case = CaseFactory(
        status=CaseStatus.REFERRED,
        referred_on=referred_on,
        address_key=keys.address_key("3511AB", 12, ""),
    )
    ReferralFactory(case=case, nuisance_forms=[NuisanceForm.NOISE])
    if person:
        PersonFactory(case=case, **person, person_key=keys.person_key(*person.values()))
    return case


JAN = {"first_name": "Jan", "last_name": "Smit", "date_of_birth": dt.date(1970, 1, 1)}


def test_an_address_match_is_a_possible_repeat_until_the_coordinator_confirms(team):
    today = timezone.localdate()
    earlier = _earlier(closed_on=today - relativedelta(years=1))
    case = _new_referral(referred_on=today)
    [match] = services.recidivism_check(case=case)
    assert (match.earlier, match.on_person, match.counts) == (earlier, False, False)
    assert not Case.objects.get(pk=case.pk).is_repeat_referral
    with pytest.raises(ValueError):
        services.recidivism_decide(match=match, confirmed=True, reason=" ", by=team["coordinator"])
    with pytest.raises(PermissionError):
        services.recidivism_decide(
            match=match, confirmed=True, reason="Zelfde gezin", by=team["casemanager"]
        )
    match = services.recidivism_decide(
        match=match, confirmed=True, reason="Zelfde gezin", by=team["coordinator"]
    )
    assert match.decision == RecidivismDecision.CONFIRMED and match.counts
    assert Case.objects.get(pk=case.pk).is_repeat_referral
    services.recidivism_decide(
        match=match, confirmed=False, reason="Nieuwe huurders sinds mei", by=team["coordinator"]
    )
    assert not Case.objects.get(pk=case.pk).is_repeat_referral


def test_a_person_match_counts_at_once(team):
    today = timezone.localdate()
    _earlier(closed_on=today - relativedelta(years=2), house_number=99, person=JAN)
    case = _new_referral(referred_on=today, person=JAN)
    [match] = services.recidivism_check(case=case)
    assert match.on_person and match.counts
    assert Case.objects.get(pk=case.pk).is_repeat_referral


@pytest.mark.parametrize(
    "closed_before_referral, found",
    [
        (relativedelta(years=3), True),  # the window: 3 years from the earlier closing
        (relativedelta(years=3, days=1), False),
        (relativedelta(months=1), True),
    ],
)
def test_the_window_runs_three_years_from_the_earlier_closing(closed_before_referral, found):
    referred_on = dt.date(2026, 6, 1)
    _earlier(closed_on=referred_on - closed_before_referral, person=JAN)
    case = _new_referral(referred_on=referred_on, person=JAN)
    assert bool(services.recidivism_check(case=case)) is found


def test_the_coordinator_decides_on_the_intake_page(team, verified_client):
    today = timezone.localdate()
    _earlier(closed_on=today - relativedelta(years=1))
    case = _new_referral(referred_on=today)
    [match] = services.recidivism_check(case=case)
    client = verified_client(team["coordinator"])
    prefix = f"recidivism-{match.pk}"
    response = client.post(
        _url("intake_recidivism", case, match.pk), {f"{prefix}-decision": "confirmed"}
    )
    assert response.status_code == 200  # the reason is missing: shown next to the field
    assert RecidivismMatch.objects.get(pk=match.pk).decision == ""
    response = client.post(
        _url("intake_recidivism", case, match.pk),
        {f"{prefix}-decision": "rejected", f"{prefix}-reason": "Andere bewoners"},
    )
    assert response.status_code == 302
    assert RecidivismMatch.objects.get(pk=match.pk).decision == RecidivismDecision.REJECTED
