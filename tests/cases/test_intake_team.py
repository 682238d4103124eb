"""The intake for the whole case team: the case's casemanager assesses the criteria (the
coordinator keeps assigning, the override and the decision); one open consent or screening
request at a time; the case page links to the intake parts each user may use."""

import re

import pytest
from django.urls import reverse

from cases import services
from cases.choices import CaseStatus, ConsentDecision, NuisanceForm, RiskLevel
from cases.models import ConsentRequest, Criterion, CriterionAssessment, PoliceScreening
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
    altrecht = OrganisationFactory(name="Altrecht")
    users = {
        "coordinator": UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        "casemanager": UserFactory(organisation=uc, roles=[Role.CASEMANAGER]),
        "other_casemanager": UserFactory(organisation=uc, roles=[Role.CASEMANAGER]),
        "corporation_rep": UserFactory(organisation=mitros, roles=[Role.PARTNER_REPRESENTATIVE]),
        "police_rep": UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE]),
        "care_rep": UserFactory(organisation=altrecht, roles=[Role.PARTNER_REPRESENTATIVE]),
    }
    for user in users.values():
        access.sync_user_organisation_group(user)
    return {**users, "mitros": mitros, "politie": politie, "altrecht": altrecht}


@pytest.fixture
def case(team):
    case = CaseFactory(
        status=CaseStatus.INTAKE, corporation=team["mitros"], casemanager=team["casemanager"]
    )
    ReferralFactory(case=case, organisation=team["mitros"], nuisance_forms=[NuisanceForm.NOISE])
    PersonFactory(case=case, first_name="Jan", last_name="Smit")
    return case


def _url(name, case):
    return reverse(f"cases:{name}", args=[case.pk])


def _criteria_post():
    data = {}
    for criterion in Criterion.objects.filter(is_active=True):
        data[f"criteria-met_{criterion.number}"] = "met"
        data[f"criteria-motivation_{criterion.number}"] = "Ernstige overlast, al maanden"
    return data


# --- The casemanager of the case ---------------------------------------------------------


def test_casemanager_of_the_case_completes_the_criteria_and_the_coordinator_accepts(
    team, case, verified_client
):
    as_casemanager = verified_client(team["casemanager"])
    page = as_casemanager.get(_url("intake", case))
    assert page.status_code == 200
    html = page.content.decode()
    assert _url("intake_criteria", case) in html
    # Assigning and the acute-escalation override stay with the coordinator.
    assert _url("intake_assign", case) not in html
    assert _url("intake_override", case) not in html
    assert reverse("cases:intake_list") not in html
    assert _url("intake_accept", case) not in html  # the coordinator decides

    response = as_casemanager.post(_url("intake_criteria", case), _criteria_post())
    assert response.status_code == 302
    active = Criterion.objects.filter(is_active=True).count()
    assert CriterionAssessment.objects.filter(
        case=case, assessed_by=team["casemanager"]
    ).count() == (active)

    services.consent_answer(
        request=services.consent_request(case=case, by=team["casemanager"]),
        decision=ConsentDecision.CONSENT,
        reason="",
        by=team["corporation_rep"],
    )
    intake_steps.waive_screening(case, team["casemanager"])
    intake_steps.record_kris(case, team["casemanager"])
    as_coordinator = verified_client(team["coordinator"])
    response = as_coordinator.post(_url("intake_accept", case), {"accept-motivation": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


@pytest.mark.parametrize(
    "name, data",
    [
        ("intake_assign", {"assign-casemanager": "1"}),
        ("intake_override", {"override-override": "on", "override-motivation": "Acuut"}),
        ("intake_take", {}),
    ],
)
def test_casemanager_may_not_do_what_only_the_coordinator_does(
    team, case, verified_client, name, data
):
    client = verified_client(team["casemanager"])
    assert client.post(_url(name, case), data).status_code == 403
    case.refresh_from_db()
    assert case.criteria_override is False


def test_casemanager_asks_consent_and_screening_and_records_kris(team, case, verified_client):
    client = verified_client(team["casemanager"])
    assert client.post(_url("intake_consent", case)).status_code == 302
    assert client.post(_url("intake_screening_request", case)).status_code == 302
    response = client.post(
        _url("intake_kris", case),
        {
            "kris-result": "unknown",
            "kris-target_group_outcome": "Geen doelgroep OGGZ",
            "kris-registered_with_altrecht": "no",
        },
    )
    assert response.status_code == 302
    assert ConsentRequest.objects.filter(case=case).count() == 1
    assert PoliceScreening.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("who", ["other_casemanager", "care_rep", "corporation_rep"])
def test_others_get_404_on_the_intake_page_and_its_sections(team, case, verified_client, who):
    services.involvement_add(case=case, organisation=team["mitros"], by=team["coordinator"])
    services.involvement_add(case=case, organisation=team["altrecht"], by=team["coordinator"])
    client = verified_client(team[who])
    assert client.get(_url("intake", case)).status_code == 404
    assert client.post(_url("intake_criteria", case), _criteria_post()).status_code == 404
    assert not CriterionAssessment.objects.filter(case=case).exists()


# --- One open request at a time --------------------------------------------------------


def test_a_second_open_consent_request_is_refused_by_the_service(team, case):
    services.consent_request(case=case, by=team["coordinator"])
    with pytest.raises(services.RequestStillOpenError):
        services.consent_request(case=case, by=team["coordinator"])
    assert ConsentRequest.objects.filter(case=case).count() == 1


def test_a_new_consent_request_is_possible_once_the_corporation_answered(team, case):
    first = services.consent_request(case=case, by=team["coordinator"])
    services.consent_answer(
        request=first,
        decision=ConsentDecision.REFUSAL,
        reason="Eerst zelf",
        by=team["corporation_rep"],
    )
    services.consent_request(case=case, by=team["coordinator"])
    assert ConsentRequest.objects.filter(case=case).count() == 2


def test_a_second_open_screening_request_is_refused_by_the_service(team, case):
    first = services.screening_request(case=case, by=team["coordinator"])
    with pytest.raises(services.RequestStillOpenError):
        services.screening_request(case=case, by=team["coordinator"])
    assert PoliceScreening.objects.filter(case=case).count() == 1
    services.screening_record(
        screening=first, by=team["police_rep"], risk_level=RiskLevel.LOW, safety_advice="Geen"
    )
    services.screening_request(case=case, by=team["coordinator"])
    assert PoliceScreening.objects.filter(case=case).count() == 2


@pytest.mark.parametrize(
    "name, model, section",
    [
        ("intake_consent", ConsentRequest, "consent"),
        ("intake_screening_request", PoliceScreening, "screening"),
    ],
)
def test_a_second_request_from_a_stale_page_is_explained_not_a_500(
    team, case, verified_client, name, model, section
):
    client = verified_client(team["coordinator"])
    assert client.post(_url(name, case)).status_code == 302
    response = client.post(_url(name, case), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="{section}"' in html
    assert 'role="alert"' in html
    assert model.objects.filter(case=case).count() == 1


# --- Links from the case page ----------------------------------------------------------


def _links(client, case):
    """The case page's intake links as {data-intake-link: href}."""
    html = client.get(_url("detail", case)).content.decode()
    return {
        name: href for href, name in re.findall(r'href="([^"]+)" data-intake-link="([^"]+)"', html)
    }


def test_case_page_links_to_the_intake_parts_each_user_may_use(team, case, verified_client):
    consent = services.consent_request(case=case, by=team["coordinator"])
    screening = services.screening_request(case=case, by=team["coordinator"])
    services.involvement_add(case=case, organisation=team["altrecht"], by=team["coordinator"])
    # Asked organisations see the request only; here the case team involved them as well.
    for organisation in (team["mitros"], team["politie"]):
        services.involvement_add(case=case, organisation=organisation, by=team["coordinator"])

    team_links = _links(verified_client(team["casemanager"]), case)
    assert team_links == {
        "intake": _url("intake", case),
        "screening_result": _url("screening_result", case),
    }
    corporation_links = _links(verified_client(team["corporation_rep"]), case)
    assert corporation_links == {
        "screening_result": _url("screening_result", case),
        "consent_answer": reverse("cases:consent_answer", args=[consent.pk]),
    }
    police_links = _links(verified_client(team["police_rep"]), case)
    assert police_links == {
        "screening_result": _url("screening_result", case),
        "screening_record": reverse("cases:screening_record", args=[screening.pk]),
    }
    assert _links(verified_client(team["care_rep"]), case) == {
        "screening_result": _url("screening_result", case)
    }


def test_answered_requests_are_no_longer_linked(team, case, verified_client):
    consent = services.consent_request(case=case, by=team["coordinator"])
    services.consent_answer(
        request=consent, decision=ConsentDecision.CONSENT, reason="", by=team["corporation_rep"]
    )
    assert "consent_answer" not in _links(verified_client(team["corporation_rep"]), case)


# --- The services refuse the same, whoever calls them ----------------------------------


@pytest.mark.parametrize("who", ["casemanager", "other_casemanager", "corporation_rep"])
def test_services_refuse_coordinator_steps_to_others(team, case, who):
    user = team[who]
    with pytest.raises(PermissionError):
        services.case_assign_casemanager(case=case, casemanager=team["casemanager"], by=user)
    with pytest.raises(PermissionError):
        services.criteria_override_set(case=case, override=True, motivation="Acuut", by=user)
    case.refresh_from_db()
    assert case.criteria_override is False


@pytest.mark.parametrize("who", ["other_casemanager", "corporation_rep", "police_rep"])
def test_services_refuse_intake_checks_outside_the_case_team(team, case, who):
    user = team[who]
    answers = {c.number: (True, "Ernstig") for c in Criterion.objects.filter(is_active=True)}
    with pytest.raises(PermissionError):
        services.criteria_assess(case=case, answers=answers, by=user)
    with pytest.raises(PermissionError):
        services.consent_request(case=case, by=user)
    with pytest.raises(PermissionError):
        services.screening_request(case=case, by=user)
    with pytest.raises(PermissionError):
        services.kris_record(case=case, by=user, result="unknown", target_group_outcome="Geen")
    assert not CriterionAssessment.objects.filter(case=case).exists()
    assert not ConsentRequest.objects.filter(case=case).exists()
    assert not PoliceScreening.objects.filter(case=case).exists()
