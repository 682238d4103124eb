"""The partners' request inbox, query budgets, and hostile input to every intake form."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases import services
from cases.choices import CaseStatus, ConsentDecision, RiskLevel
from cases.models import (
    Case,
    CaseInvolvement,
    CriterionAssessment,
    KrisCheck,
    LawfulBasis,
    PoliceScreening,
)
from deadlines import kinds
from partners import access
from partners.choices import Role
from tests.factories.cases import CaseFactory
from tests.factories.deadlines import deadline_falling_due
from tests.factories.partners import OrganisationFactory, UserFactory
from tests.hostile import FUZZ, hostile_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    portaal = OrganisationFactory(name="Portaal", corporation=True)
    politie = OrganisationFactory(name="Politie", police=True)
    users = {
        "coordinator": UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        "mitros_rep": UserFactory(organisation=mitros, roles=[Role.PARTNER_REPRESENTATIVE]),
        "portaal_rep": UserFactory(organisation=portaal, roles=[Role.PARTNER_REPRESENTATIVE]),
        "police_rep": UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE]),
    }
    for user in users.values():
        access.sync_user_organisation_group(user)
    return {**users, "mitros": mitros, "portaal": portaal, "politie": politie}


def _consent(team, **case_kwargs):
    case = CaseFactory(corporation=team["mitros"], street="Oudegracht", **case_kwargs)
    return services.consent_request(case=case, by=team["coordinator"])


def _screening(team):
    case = CaseFactory(street="Biltstraat")
    return services.screening_request(case=case, by=team["coordinator"])


# --- Consent --------------------------------------------------------------------------


def test_corporation_rep_sees_request_without_house_number_and_answers(verified_client, team):
    consent = _consent(team, house_number=77)
    client = verified_client(team["mitros_rep"])
    html = client.get(reverse("cases:requests")).content.decode()
    assert consent.case.number in html and "Oudegracht" in html
    assert "Oudegracht 77" not in html
    url = reverse("cases:consent_answer", args=[consent.pk])
    html = client.get(url).content.decode()
    main = html.split("<main", 1)[1].split("</main>")[0]
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)  # random, may hold 77
    assert "Oudegracht" in html and not re.search(r"\b77\b", main)
    response = client.post(url, {"consent-decision": "refusal", "consent-reason": ""})
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.decision == ""
    response = client.post(url, {"consent-decision": "consent"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.decision == ConsentDecision.CONSENT
    assert consent.answered_by == team["mitros_rep"]


def test_another_corporations_rep_gets_404_and_changes_nothing(verified_client, team):
    consent = _consent(team)
    client = verified_client(team["portaal_rep"])
    url = reverse("cases:consent_answer", args=[consent.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"consent-decision": "consent"}).status_code == 404
    assert consent.case.number not in client.get(reverse("cases:requests")).content.decode()
    consent.refresh_from_db()
    assert consent.decision == ""


def test_inbox_is_404_for_users_without_a_representative_role(verified_client, team):
    assert verified_client(team["coordinator"]).get(reverse("cases:requests")).status_code == 404


def test_overdue_consent_request_is_red_in_the_inbox(verified_client, team):
    consent = _consent(team)
    deadline_falling_due(
        timezone.localdate() - dt.timedelta(days=1),
        kind=kinds.CORPORATION_CONSENT,
        case=consent.case,
        subject=consent,
    )
    html = verified_client(team["mitros_rep"]).get(reverse("cases:requests")).content.decode()
    assert 'data-deadline-state="overdue"' in html
    assert "utrecht-status-badge--danger" in html


# --- Screening ------------------------------------------------------------------------


def test_police_rep_records_screening(verified_client, team):
    screening = _screening(team)
    client = verified_client(team["police_rep"])
    assert screening.case.number in client.get(reverse("cases:requests")).content.decode()
    url = reverse("cases:screening_record", args=[screening.pk])
    response = client.post(url, {"screening-risk_level": "high", "screening-safety_advice": ""})
    assert response.status_code == 200  # safety advice required
    response = client.post(
        url,
        {
            "screening-risk_level": "high",
            "screening-safety_advice": "Alleen met de politie",
            "screening-details": "Wapenbezit bekend",
            "screening-lawful_basis": LawfulBasis.objects.get(code="politie-wpg").pk,
        },
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.risk_level == RiskLevel.HIGH and screening.screened_by == team["police_rep"]
    assert screening.lawful_basis.code == "politie-wpg"
    assert screening.data_category == "police"
    assert screening.screened_by_organisation == team["police_rep"].organisation


def test_non_police_rep_cannot_see_or_record_a_screening(verified_client, team):
    screening = _screening(team)
    CaseInvolvement.objects.create(
        case=screening.case, organisation=team["mitros"], added_by=team["coordinator"]
    )
    client = verified_client(team["mitros_rep"])
    url = reverse("cases:screening_record", args=[screening.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"screening-risk_level": "low"}).status_code == 404
    screening.refresh_from_db()
    assert screening.risk_level == ""


# --- Query budgets ------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 50])
def test_intake_list_query_budget(verified_client, team, django_assert_max_num_queries, count):
    client = verified_client(team["coordinator"])
    for _ in range(count):
        case = CaseFactory(corporation=team["mitros"], casemanager=team["coordinator"])
        services.consent_request(case=case, by=team["coordinator"])
    with django_assert_max_num_queries(13):  # 12 + the notification bell's unread count
        response = client.get(reverse("cases:intake_list"))
    assert response.content.decode().count('href="/casussen/') >= count


@pytest.mark.parametrize("count", [1, 50])
def test_inbox_query_budget(verified_client, team, django_assert_max_num_queries, count):
    for _ in range(count):
        _consent(team)
        screening = _screening(team)
    client = verified_client(team["police_rep"])
    with django_assert_max_num_queries(13):  # 12 + the notification bell's unread count
        assert client.get(reverse("cases:requests")).status_code == 200
    client = verified_client(team["mitros_rep"])
    with django_assert_max_num_queries(13):  # 12 + the notification bell's unread count
        assert client.get(reverse("cases:requests")).status_code == 200
    assert screening


# --- Hostile input -------------------------------------------------------------------

INTAKE_FORMS = {
    "intake_assign": ["assign-casemanager"],
    "intake_criteria": [f"criteria-met_{n}" for n in range(1, 7)]
    + [f"criteria-motivation_{n}" for n in range(1, 7)],
    "intake_override": ["override-override", "override-motivation"],
    "intake_kris": [
        "kris-result",
        "kris-trajectory_manager_name",
        "kris-trajectory_manager_organisation",
        "kris-trajectory_manager_contacted_on",
        "kris-plans_aligned",
        "kris-target_group_outcome",
        "kris-registered_with_altrecht",
    ],
    "intake_screening_waive": ["waiver-reason"],
    "intake_attach": ["attach-target"],
    "intake_accept": ["accept-motivation"],
    "intake_redirect": ["redirect-target", "redirect-reason"],
}


def _fuzz_data(fields):
    return st.fixed_dictionaries({}, optional={f: hostile_text for f in fields})


@pytest.mark.parametrize("name", sorted(INTAKE_FORMS))
def test_hostile_input_to_intake_forms_never_500(verified_client, team, name):
    client = verified_client(team["coordinator"])
    case = CaseFactory(status=CaseStatus.INTAKE)

    @FUZZ
    @given(data=_fuzz_data(INTAKE_FORMS[name]))
    def post(data):
        response = client.post(reverse(f"cases:{name}", args=[case.pk]), data)
        assert response.status_code in (200, 302)

    post()
    case.refresh_from_db()
    assert case.status in (CaseStatus.INTAKE, CaseStatus.ACCEPTED, CaseStatus.REDIRECTED)
    assert case.merged_into is None  # no duplicates exist: nothing to attach to
    assert case.casemanager is None  # the coordinator is no casemanager: never stored
    stored = [case.criteria_override_motivation]
    stored += CriterionAssessment.objects.values_list("motivation", flat=True)
    stored += KrisCheck.objects.values_list("target_group_outcome", flat=True)
    assert not any("\x00" in text for text in stored)


def test_hostile_ids_store_nothing(verified_client, team):
    """Ids of cases and requests the user may not see: 404 and nothing stored."""
    invisible_draft = CaseFactory(status=CaseStatus.DRAFT)
    consent = _consent(team)
    screening = _screening(team)
    client = verified_client(team["portaal_rep"])

    @FUZZ
    @given(
        decision=hostile_text | st.sampled_from(["consent", "refusal"]),
        reason=hostile_text,
        risk=hostile_text | st.sampled_from(["low", "high"]),
    )
    def post(decision, reason, risk):
        url = reverse("cases:consent_answer", args=[consent.pk])
        assert client.post(url, {"consent-decision": decision}).status_code == 404
        url = reverse("cases:screening_record", args=[screening.pk])
        assert client.post(url, {"screening-risk_level": risk}).status_code == 404
        for name in INTAKE_FORMS:
            url = reverse(f"cases:{name}", args=[invisible_draft.pk])
            assert client.post(url, {"accept-motivation": reason}).status_code == 404

    post()
    consent.refresh_from_db()
    screening.refresh_from_db()
    assert consent.decision == "" and screening.risk_level == ""
    assert not CriterionAssessment.objects.exists() and not KrisCheck.objects.exists()
    assert Case.objects.get(pk=invisible_draft.pk).status == CaseStatus.DRAFT
    assert PoliceScreening.objects.count() == 1


def test_hostile_input_to_inbox_forms_never_500(verified_client, team):
    consent = _consent(team)
    screening = _screening(team)
    mitros = verified_client(team["mitros_rep"])

    @FUZZ
    @given(data=_fuzz_data(["consent-decision", "consent-reason"]))
    def post_consent(data):
        response = mitros.post(reverse("cases:consent_answer", args=[consent.pk]), data)
        assert response.status_code in (200, 302)

    post_consent()
    police = verified_client(team["police_rep"])

    @FUZZ
    @given(
        data=_fuzz_data(
            [
                "screening-risk_level",
                "screening-safety_advice",
                "screening-details",
                "screening-lawful_basis",
                "screening-consent_date",
            ]
        )
    )
    def post_screening(data):
        response = police.post(reverse("cases:screening_record", args=[screening.pk]), data)
        assert response.status_code in (200, 302)

    post_screening()
    screening.refresh_from_db()
    assert "\x00" not in screening.safety_advice + screening.details


@pytest.mark.parametrize("page", ["1", "2"])
def test_intake_list_pages_without_javascript_in_the_same_queries(
    verified_client, team, django_assert_max_num_queries, page
):
    # issue 15: hundreds of referrals waiting; 50 a page, plain links between the pages.
    today = timezone.localdate()
    for i in range(51):
        case = CaseFactory(corporation=team["mitros"])
        deadline_falling_due(today + dt.timedelta(days=i), kind=kinds.INTAKE, case=case)
    client = verified_client(team["coordinator"])
    client.get(reverse("cases:intake_list"))  # warm up (the session, the content types)
    with django_assert_max_num_queries(13):  # 12 + the notification bell's unread count
        body = client.get(reverse("cases:intake_list"), {"page": page}).content.decode()
    rows = body.count('<th class="utrecht-table__header-cell" scope="row">')
    assert rows == (50 if page == "1" else 1)
    if page == "1":
        assert 'rel="next" href="?page=2"' in body
    else:
        assert 'rel="prev" href="?page=1"' in body and "Pagina 2 van 2" in body
