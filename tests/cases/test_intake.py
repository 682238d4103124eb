"""Intake through the views: the coordinator's sections, the decision and its e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases import access, services
from cases.choices import CaseStatus, ConsentDecision, KrisResult, NuisanceForm, RiskLevel
from cases.models import (
    CaseInvolvement,
    ConsentRequest,
    Criterion,
    CriterionAssessment,
    KrisCheck,
    PoliceScreening,
)
from deadlines import kinds
from deadlines.models import Deadline
from partners import access as partners_access
from partners.choices import Role
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory
from tests.factories.deadlines import deadline_falling_due
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    politie = OrganisationFactory(name="Politie", police=True)
    users = {
        "coordinator": UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        "casemanager": UserFactory(
            organisation=uc, roles=[Role.CASEMANAGER], first_name="Carla", last_name="Manager"
        ),
        "corporation_rep": UserFactory(organisation=mitros, roles=[Role.PARTNER_REPRESENTATIVE]),
        "police_rep": UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE]),
    }
    for user in users.values():
        partners_access.sync_user_organisation_group(user)
    return {**users, "mitros": mitros, "politie": politie}


@pytest.fixture
def case(team):
    case = CaseFactory(corporation=team["mitros"], street="Oudegracht", house_number=12)
    ReferralFactory(case=case, organisation=team["mitros"], nuisance_forms=[NuisanceForm.NOISE])
    PersonFactory(case=case, first_name="Jan", last_name="Smit")
    return case


@pytest.fixture
def coordinator_client(team, verified_client):
    return verified_client(team["coordinator"])


def _url(name, case):
    return reverse(f"cases:{name}", args=[case.pk])


def _criteria_post(is_met=True, motivation="Ernstige overlast, al maanden"):
    data = {}
    for criterion in Criterion.objects.filter(is_active=True):
        data[f"criteria-met_{criterion.number}"] = "met" if is_met else "not_met"
        data[f"criteria-motivation_{criterion.number}"] = motivation
    return data


# --- Sections, happy paths -----------------------------------------------------------


def test_intake_list_shows_overdue_deadline_and_flags(coordinator_client, case):
    CaseFactory(status=CaseStatus.INTAKE, address_key=case.address_key or "k")
    case.address_key = "k"
    case.is_repeat_referral = True
    case.save()
    deadline_falling_due(dt.date(2026, 11, 9), kind=kinds.INTAKE, case=case)
    response = coordinator_client.get(reverse("cases:intake_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html
    assert "utrecht-status-badge--danger" in html  # intake due 9 Nov 2026, today is later
    assert "Herhaalde aanmelding" in html
    assert 'href="{}"'.format(_url("intake", case)) in html


def test_take_into_handling(coordinator_client, case):
    response = coordinator_client.post(_url("intake_take", case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE
    assert case.intake_started_on == timezone.localdate()


def test_assign_casemanager_lists_caseload(coordinator_client, case, team):
    CaseFactory(casemanager=team["casemanager"], status=CaseStatus.ACCEPTED)
    page = coordinator_client.get(_url("intake", case)).content.decode()
    assert "Carla Manager (" in page and ": 1)" in page
    response = coordinator_client.post(
        _url("intake_assign", case), {"assign-casemanager": team["casemanager"].pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.casemanager == team["casemanager"]


def test_assign_refuses_a_user_who_is_no_casemanager(coordinator_client, case, team):
    response = coordinator_client.post(
        _url("intake_assign", case), {"assign-casemanager": team["police_rep"].pk}
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.casemanager is None


def test_criteria_assessment_saved_and_motivation_required(coordinator_client, case):
    data = _criteria_post()
    first = Criterion.objects.filter(is_active=True).first()
    data[f"criteria-motivation_{first.number}"] = ""
    response = coordinator_client.post(_url("intake_criteria", case), data)
    assert response.status_code == 200
    assert CriterionAssessment.objects.filter(case=case).count() == 0
    assert "Ernstige overlast, al maanden" in response.content.decode()  # input kept

    response = coordinator_client.post(_url("intake_criteria", case), _criteria_post())
    assert response.status_code == 302
    assert CriterionAssessment.objects.filter(case=case, is_met=True).count() == 6


def test_criteria_radio_groups_have_fieldset_and_legend(coordinator_client, case):
    html = coordinator_client.get(_url("intake", case)).content.decode()
    assert html.count("<fieldset") >= 6 + 1 + 1  # six criteria, KRIS result, redirect target
    assert html.count("<legend") == html.count("<fieldset")


def test_htmx_section_post_returns_only_that_section(coordinator_client, case):
    response = coordinator_client.post(
        _url("intake_criteria", case), _criteria_post(), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="criteria"')
    assert "<html" not in html


def test_override_requires_motivation(coordinator_client, case):
    response = coordinator_client.post(_url("intake_override", case), {"override-override": "on"})
    assert response.status_code == 200
    case.refresh_from_db()
    assert not case.criteria_override
    response = coordinator_client.post(
        _url("intake_override", case),
        {"override-override": "on", "override-motivation": "Brandgevaar, acuut"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.criteria_override
    assert case.criteria_override_motivation == "Brandgevaar, acuut"


def test_consent_request_shows_due_date(coordinator_client, case, team):
    response = coordinator_client.post(_url("intake_consent", case))
    assert response.status_code == 302
    consent = ConsentRequest.objects.get(case=case)
    assert consent.corporation == team["mitros"]
    deadline = Deadline.objects.get(kind=kinds.CORPORATION_CONSENT, subject_id=consent.pk)
    assert deadline.due_on > consent.requested_on
    page = coordinator_client.get(_url("intake", case)).content.decode()
    assert "wo-deadline" in page


def test_consent_request_without_corporation_is_refused_cleanly(coordinator_client):
    case = CaseFactory(corporation=None)
    response = coordinator_client.post(_url("intake_consent", case))
    assert response.status_code == 200
    assert not ConsentRequest.objects.filter(case=case).exists()


def test_kris_known_requires_trajectory_manager(coordinator_client, case):
    response = coordinator_client.post(_url("intake_kris", case), {"kris-result": "known"})
    assert response.status_code == 200
    assert not KrisCheck.objects.filter(case=case).exists()
    response = coordinator_client.post(
        _url("intake_kris", case),
        {
            "kris-result": "known",
            "kris-trajectory_manager_name": "T. Rajecto",
            "kris-trajectory_manager_organisation": "Buurtteam",
            "kris-trajectory_manager_contacted_on": "2026-11-02",
            "kris-plans_aligned": "yes",
        },
    )
    assert response.status_code == 302
    assert KrisCheck.objects.get(case=case).trajectory_manager_name == "T. Rajecto"


def test_kris_unknown_requires_target_group_outcome(coordinator_client, case):
    response = coordinator_client.post(_url("intake_kris", case), {"kris-result": "unknown"})
    assert response.status_code == 200
    assert not KrisCheck.objects.filter(case=case).exists()
    response = coordinator_client.post(
        _url("intake_kris", case),
        {
            "kris-result": "unknown",
            "kris-target_group_outcome": "Behoort tot de OGGZ-doelgroep",
            "kris-registered_with_altrecht": "yes",
        },
    )
    assert response.status_code == 302
    check = KrisCheck.objects.get(case=case)
    assert check.result == KrisResult.UNKNOWN and check.referred_to_altrecht


def test_screening_request_asks_the_police_without_involving_them(coordinator_client, case, team):
    """The police see the request in their inbox, not the case (DOMAIN.md §7)."""
    response = coordinator_client.post(_url("intake_screening_request", case))
    assert response.status_code == 302
    assert PoliceScreening.objects.filter(case=case).count() == 1
    assert not CaseInvolvement.objects.filter(
        case=case, organisation=team["politie"], is_active=True
    ).exists()
    assert access.visible_screening_requests(team["police_rep"]).filter(case=case).exists()


def test_recidivism_shows_earlier_cases_with_nuisance_forms(coordinator_client, case):
    case.address_key = "same-address"
    case.save()
    earlier = CaseFactory(
        closed=True,
        closed_on=timezone.localdate() - dt.timedelta(days=100),
        address_key="same-address",
    )
    ReferralFactory(case=earlier, nuisance_forms=[NuisanceForm.HOARDING])
    html = coordinator_client.get(_url("intake", case)).content.decode()
    assert earlier.number in html
    assert str(NuisanceForm.HOARDING.label) in html


def test_attach_to_open_duplicate(coordinator_client, case):
    case.address_key = "dup"
    case.save()
    other = CaseFactory(status=CaseStatus.ACCEPTED, address_key="dup")
    html = coordinator_client.get(_url("intake", case)).content.decode()
    assert other.number in html
    response = coordinator_client.post(_url("intake_attach", case), {"attach-target": other.pk})
    assert response.status_code == 302
    assert response.url == _url("intake", other)
    case.refresh_from_db()
    assert case.status == CaseStatus.ATTACHED and case.merged_into == other


def test_attach_refuses_a_case_that_is_no_duplicate(coordinator_client, case):
    unrelated = CaseFactory(status=CaseStatus.ACCEPTED, address_key="elsewhere")
    response = coordinator_client.post(_url("intake_attach", case), {"attach-target": unrelated.pk})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED and case.merged_into is None


# --- Decision ----------------------------------------------------------------------


def test_accept_refused_shows_the_reasons_and_keeps_input(coordinator_client, case):
    case.status = CaseStatus.INTAKE
    case.save()
    response = coordinator_client.post(
        _url("intake_accept", case), {"accept-motivation": "Mijn motivering"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "casemanager" in html.lower()
    assert "Mijn motivering" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE


def test_accept_with_override_and_decision_mail_has_no_personal_data(
    coordinator_client, case, team, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the task body; a real worker is tested elsewhere
    case.status = CaseStatus.INTAKE
    case.casemanager = team["casemanager"]
    case.save()
    coordinator_client.post(
        _url("intake_override", case),
        {"override-override": "on", "override-motivation": "Acute escalatie"},
    )
    coordinator_client.post(
        _url("intake_screening_waive", case), {"waiver-reason": "Politie kent het adres niet."}
    )
    coordinator_client.post(
        _url("intake_kris", case),
        {
            "kris-result": "unknown",
            "kris-target_group_outcome": "Niet in de doelgroep",
            "kris-registered_with_altrecht": "no",
        },
    )
    # The special situation departs from the criteria only: Mitros's home, Mitros first.
    response = coordinator_client.post(_url("intake_accept", case), {"accept-motivation": ""})
    assert response.status_code == 200
    assert "toestemming" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(_url("intake_consent", case))
    services.consent_answer(
        request=case.consent_requests.get(),
        decision=ConsentDecision.CONSENT,
        reason="",
        by=team["corporation_rep"],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(_url("intake_accept", case), {"accept-motivation": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    referrer = case.referrals.get().referrer
    assert [m.to for m in mail.outbox] == [[referrer.email]]
    message = mail.outbox[0]
    text = message.subject + message.body
    assert case.number in text
    assert "/casussen/" in text or "http" in text
    for personal in ["Smit", "Jan", "Oudegracht", case.postcode, "Acute escalatie"]:
        assert personal not in text


def test_redirect_requires_a_reason(coordinator_client, case):
    response = coordinator_client.post(
        _url("intake_redirect", case), {"redirect-target": "mediation", "redirect-reason": "  "}
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    response = coordinator_client.post(
        _url("intake_redirect", case),
        {
            "redirect-target": "mediation",
            "redirect-reason": "Burenruzie, past bij buurtbemiddeling",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REDIRECTED
    assert case.redirect_target == "mediation"


# --- Access -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["intake", "screening_result"])
def test_uninvolved_partner_gets_404_on_intake_pages(verified_client, team, case, name):
    client = verified_client(team["police_rep"])
    assert client.get(_url(name, case)).status_code == 404


def test_involved_partner_representative_gets_404_on_intake_but_sees_screening(
    verified_client, team, case
):
    CaseInvolvement.objects.create(
        case=case, organisation=team["mitros"], added_by=team["coordinator"]
    )
    access.sync_case_grants(case)
    client = verified_client(team["corporation_rep"])
    assert client.get(_url("intake", case)).status_code == 404
    assert client.post(_url("intake_take", case)).status_code == 404
    assert client.get(_url("screening_result", case)).status_code == 200


def test_intake_list_needs_the_coordinate_permission(verified_client, team):
    client = verified_client(team["casemanager"])
    assert client.get(reverse("cases:intake_list")).status_code == 403


def test_navigation_offers_intake_to_coordinators_and_requests_to_representatives(
    verified_client, team
):
    html = verified_client(team["coordinator"]).get(reverse("cases:intake_list")).content.decode()
    assert reverse("cases:intake_list") in html
    assert reverse("cases:requests") not in html
    html = verified_client(team["police_rep"]).get(reverse("cases:requests")).content.decode()
    assert reverse("cases:requests") in html
    assert reverse("cases:intake_list") not in html


def test_screening_detail_hidden_from_non_police_partner_but_risk_level_shown(
    verified_client, team, case
):
    CaseInvolvement.objects.create(
        case=case, organisation=team["mitros"], added_by=team["coordinator"]
    )
    access.sync_case_grants(case)
    PoliceScreening.objects.create(
        case=case,
        requested_by=team["coordinator"],
        requested_on=timezone.localdate(),
        risk_level=RiskLevel.HIGH,
        safety_advice="Huisbezoek alleen met z'n tweeën",
        details="Geheime politie-informatie",
    )
    html = (
        verified_client(team["corporation_rep"])
        .get(_url("screening_result", case))
        .content.decode()
    )
    assert "Huisbezoek alleen met z" in html
    assert "Geheime politie-informatie" not in html
    html = verified_client(team["coordinator"]).get(_url("screening_result", case)).content.decode()
    assert "Geheime politie-informatie" in html
    assert ConsentDecision  # keep the import used by other tests in this module
