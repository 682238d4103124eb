"""Access follows the need, and ends with it (DOMAIN.md §7, issue 11): a request shows the
request, acceptance involves, redirection ends at once, closing after the handover period
(aftercare excepted), ending by hand asks a reason and the history stays on the case."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from cases import access, services
from cases.choices import CaseStatus, Confidentiality, ConsentDecision, NuisanceForm, RiskLevel
from cases.choices_plan import ActionStatus
from cases.forms.case import DocumentForm, JournalEntryForm
from cases.models import Case, CaseInvolvement
from cases.models.plan import Action, AftercarePlan
from cases.tasks import end_due_involvements
from partners import access as partners_access
from partners.choices import Role
from tests.cases.intake_steps import assess_criteria, record_kris
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    uc = OrganisationFactory(name="U Centraal", executing=True)
    portaal = OrganisationFactory(name="Portaal", corporation=True)
    politie = OrganisationFactory(name="Politie", police=True)
    ggz = OrganisationFactory(name="GGZ Centraal")
    users = {
        "coordinator": UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        "casemanager": UserFactory(organisation=uc, roles=[Role.CASEMANAGER]),
        "corporation_rep": UserFactory(organisation=portaal, roles=[Role.PARTNER_REPRESENTATIVE]),
        "police_rep": UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE]),
        "ggz_rep": UserFactory(organisation=ggz, roles=[Role.PARTNER_REPRESENTATIVE]),
    }
    for user in users.values():
        partners_access.sync_user_organisation_group(user)
    return {**users, "portaal": portaal, "politie": politie, "ggz": ggz}


@pytest.fixture
def case(team):
    case = CaseFactory(
        corporation=team["portaal"],
        street="Kanaalstraat",
        house_number=7,
        status=CaseStatus.INTAKE,
        casemanager=team["casemanager"],
    )
    ReferralFactory(
        case=case,
        organisation=team["portaal"],
        nuisance_forms=[NuisanceForm.NOISE],
        description="Buren horen 's nachts geschreeuw.",
    )
    PersonFactory(case=case, first_name="Jan", last_name="Smit")
    return case


def _involved(case, organisation) -> bool:
    return CaseInvolvement.objects.filter(
        case=case, organisation=organisation, is_active=True
    ).exists()


def _case_page(client, case):
    return client.get(reverse("cases:detail", args=[case.pk]))


# --- A request shows the request ------------------------------------------------------


def test_consent_request_shows_the_request_not_the_case(team, case, verified_client):
    consent = services.consent_request(case=case, by=team["coordinator"])
    assert not _involved(case, team["portaal"])
    client = verified_client(team["corporation_rep"])
    page = client.get(reverse("cases:consent_answer", args=[consent.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert case.number in html and "Kanaalstraat" in html
    with translation.override("nl"):
        assert str(NuisanceForm.NOISE.label) in html  # the nuisance forms
    assert "Smit" not in html  # no persons
    assert _case_page(client, case).status_code == 404


def test_screening_request_shows_the_request_not_the_case(team, case, verified_client):
    screening = services.screening_request(case=case, by=team["coordinator"])
    assert not _involved(case, team["politie"])
    client = verified_client(team["police_rep"])
    assert client.get(reverse("cases:requests")).status_code == 200
    page = client.get(reverse("cases:screening_record", args=[screening.pk]))
    assert page.status_code == 200
    assert "Smit" not in page.content.decode()
    assert _case_page(client, case).status_code == 404


def test_acceptance_involves_the_consenting_corporation_and_the_screening_police(team, case):
    coordinator = team["coordinator"]
    assess_criteria(case, coordinator)
    consent = services.consent_request(case=case, by=coordinator)
    services.consent_answer(
        request=consent, decision=ConsentDecision.CONSENT, reason="", by=team["corporation_rep"]
    )
    screening = services.screening_request(case=case, by=coordinator)
    services.screening_record(
        screening=screening, by=team["police_rep"], risk_level=RiskLevel.LOW, safety_advice="-"
    )
    record_kris(case, coordinator)
    assert not _involved(case, team["portaal"]) and not _involved(case, team["politie"])
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, by=coordinator)
    assert _involved(case, team["portaal"]) and _involved(case, team["politie"])
    assert access.visible_cases(team["corporation_rep"]).filter(pk=case.pk).exists()


def test_a_refused_consent_ends_the_corporations_involvement(team, case):
    services.involvement_add(case=case, organisation=team["portaal"], by=team["coordinator"])
    consent = services.consent_request(case=case, by=team["coordinator"])
    services.consent_answer(
        request=consent,
        decision=ConsentDecision.REFUSAL,
        reason="Wij zien geen grond.",
        by=team["corporation_rep"],
    )
    involvement = CaseInvolvement.objects.get(case=case, organisation=team["portaal"])
    assert not involvement.is_active and involvement.end_reason
    assert not access.visible_cases(team["corporation_rep"]).filter(pk=case.pk).exists()


def test_after_the_intake_an_unanswered_request_is_no_longer_shown(team, case):
    services.screening_request(case=case, by=team["coordinator"])
    assert access.visible_screening_requests(team["police_rep"]).count() == 1
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.REDIRECTED)
    assert access.visible_screening_requests(team["police_rep"]).count() == 0


# --- Involvement ends ------------------------------------------------------------------


def test_redirection_ends_every_involvement_at_once(team, case, verified_client):
    services.involvement_add(case=case, organisation=team["ggz"], by=team["coordinator"])
    services.case_transition(
        case=case,
        to=CaseStatus.REDIRECTED,
        by=team["coordinator"],
        motivation="Past beter bij de wijkaanpak.",
        target="mediation",
    )
    involvement = CaseInvolvement.objects.get(case=case, organisation=team["ggz"])
    assert not involvement.is_active and involvement.ended_by == team["coordinator"]
    assert _case_page(verified_client(team["ggz_rep"]), case).status_code == 404


def _closed_case(team, *, closed_days_ago: int) -> Case:
    case = CaseFactory(
        status=CaseStatus.CLOSED,
        casemanager=team["casemanager"],
        closed_on=timezone.localdate() - dt.timedelta(days=closed_days_ago),
    )
    services.involvement_add(case=case, organisation=team["ggz"], by=team["coordinator"])
    services.involvement_add(case=case, organisation=team["politie"], by=team["coordinator"])
    return case


def test_the_handover_period_after_closing_then_access_ends(team, settings):
    settings.INVOLVEMENT_HANDOVER_DAYS = 30
    recent = _closed_case(team, closed_days_ago=29)
    due = _closed_case(team, closed_days_ago=30)
    assert end_due_involvements() == 2  # the task: both organisations of `due`
    assert _involved(recent, team["ggz"]) and _involved(recent, team["politie"])
    assert not _involved(due, team["ggz"]) and not _involved(due, team["politie"])
    assert not access.visible_cases(team["ggz_rep"]).filter(pk=due.pk).exists()
    assert access.visible_cases(team["casemanager"]).filter(pk=due.pk).exists()
    assert end_due_involvements() == 0  # safe to run twice


def test_aftercare_keeps_access_until_its_last_action_is_done(team, settings):
    settings.INVOLVEMENT_HANDOVER_DAYS = 30
    case = _closed_case(team, closed_days_ago=60)
    plan = AftercarePlan.objects.create(
        case=case,
        end_date=timezone.localdate() + dt.timedelta(days=60),
        created_by=team["coordinator"],
    )
    action = Action.objects.create(
        case=case,
        aftercare_plan=plan,
        description="Maandelijks huisbezoek",
        organisation=team["ggz"],
        due_on=timezone.localdate() + dt.timedelta(days=30),
        created_by=team["coordinator"],
    )
    assert services.end_due_involvements() == 1  # the police only
    assert _involved(case, team["ggz"]) and not _involved(case, team["politie"])
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    assert services.end_due_involvements() == 1
    assert not _involved(case, team["ggz"])


def test_aftercare_access_ends_when_the_aftercare_end_date_has_passed(team, settings):
    settings.INVOLVEMENT_HANDOVER_DAYS = 30
    case = _closed_case(team, closed_days_ago=60)
    plan = AftercarePlan.objects.create(
        case=case,
        end_date=timezone.localdate() + dt.timedelta(days=5),
        created_by=team["coordinator"],
    )
    Action.objects.create(
        case=case,
        aftercare_plan=plan,
        description="Maandelijks huisbezoek",
        organisation=team["ggz"],
        due_on=timezone.localdate() + dt.timedelta(days=3),
        created_by=team["coordinator"],
    )
    services.end_due_involvements()
    assert _involved(case, team["ggz"])
    services.end_due_involvements(timezone.localdate() + dt.timedelta(days=6))
    assert not _involved(case, team["ggz"])


def test_the_daily_job_is_scheduled_and_the_setting_documented():
    assert settings.CELERY_BEAT_SCHEDULE["cases-end-due-involvements"]["task"] == (
        "cases.end_due_involvements"
    )
    root = Path(settings.BASE_DIR)
    for name in (".env.example", "README.md"):
        assert "INVOLVEMENT_HANDOVER_DAYS" in (root / name).read_text(), name


# --- Ending by hand --------------------------------------------------------------------


def test_ending_by_hand_asks_confirmation_and_a_reason_and_keeps_the_history(
    team, case, verified_client
):
    services.involvement_add(case=case, organisation=team["ggz"], by=team["coordinator"])
    client = verified_client(team["casemanager"])
    url = reverse("cases:involvement_end", args=[case.pk, team["ggz"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and _involved(case, team["ggz"])
    response = client.post(url, {"reason": "Zorg is afgerond."})  # not confirmed
    assert response.status_code == 200 and _involved(case, team["ggz"])
    response = client.post(url, {"reason": "Zorg is afgerond.", "confirm": "on"})
    assert response.status_code == 302 and not _involved(case, team["ggz"])
    html = _case_page(client, case).content.decode()
    assert "Zorg is afgerond." in html and "GGZ Centraal" in html
    assert _case_page(verified_client(team["ggz_rep"]), case).status_code == 404


def test_a_partner_may_not_end_an_involvement(team, case, verified_client):
    services.involvement_add(case=case, organisation=team["ggz"], by=team["coordinator"])
    client = verified_client(team["ggz_rep"])
    url = reverse("cases:involvement_end", args=[case.pk, team["ggz"].pk])
    assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 403
    assert _involved(case, team["ggz"])


def test_case_page_with_ended_involvements_has_a_fixed_query_budget(
    team, case, verified_client, django_assert_max_num_queries
):
    client = verified_client(team["casemanager"])
    for count in (1, 3):
        for _ in range(count):
            services.involvement_add(case=case, organisation=team["ggz"], by=team["coordinator"])
            services.involvement_end(
                case=case, organisation=team["ggz"], by=team["coordinator"], reason="Klaar"
            )
        with django_assert_max_num_queries(60):
            assert _case_page(client, case).status_code == 200


# --- Privacy by default ----------------------------------------------------------------


@pytest.mark.parametrize("form_class", [JournalEntryForm, DocumentForm])
def test_new_items_start_at_the_most_restricted_level(team, case, form_class):
    form = form_class(case=case)
    assert form.fields["confidentiality"].initial == Confidentiality.CASE_TEAM


def test_referral_backgrounds_and_neighbour_contact_are_for_the_case_team_until_shared(
    team, case, verified_client
):
    services.involvement_add(case=case, organisation=team["ggz"], by=team["coordinator"])
    PersonFactory(case=case, role="neighbour", last_name="Buurman", phone="0612345678")
    partner = verified_client(team["ggz_rep"])
    html = _case_page(partner, case).content.decode()
    assert "geschreeuw" not in html and "0612345678" not in html
    team_html = _case_page(verified_client(team["casemanager"]), case).content.decode()
    assert "geschreeuw" in team_html and "0612345678" in team_html

    response = verified_client(team["casemanager"]).post(
        reverse("cases:sensitive_share", args=[case.pk]),
        {"organisation": team["ggz"].pk, "action": "share"},
    )
    assert response.status_code == 302
    share = case.sensitive_shares.get()
    assert share.shared_by == team["casemanager"] and share.shared_at
    html = _case_page(verified_client(team["ggz_rep"]), case).content.decode()
    assert "geschreeuw" in html and "0612345678" in html

    services.sensitive_unshare(case=case, organisation=team["ggz"], by=team["casemanager"])
    assert not case.sensitive_shares.exists()
    assert not access.may_see_sensitive_details(team["ggz_rep"], case)
    partner = verified_client(team["ggz_rep"])  # one test client: sign the partner in again
    assert "geschreeuw" not in _case_page(partner, case).content.decode()


def _history_page(client, case) -> str:
    response = client.get(reverse("cases:history", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_history_keeps_what_the_case_page_keeps_from_partners(team, case, verified_client):
    """The change history shows the referral's description and suspected backgrounds, the
    neighbours' phone numbers and the intake's motivations only to whom the case page shows
    them: the case team, and (the shared details) an organisation they were shared with."""
    services.involvement_add(case=case, organisation=team["ggz"], by=team["coordinator"])
    referral = case.referrals.get()
    referral.backgrounds = ["dementia"]
    referral.save()
    PersonFactory(case=case, role="neighbour", last_name="Buurman", phone="0612345678")
    services.criteria_override_set(
        case=case, override=True, motivation="Brandgevaar bij de buren", by=team["coordinator"]
    )
    services.screening_waive(case=case, by=team["casemanager"], reason="Politie kent hem niet")
    consent = services.consent_request(case=case, by=team["coordinator"])
    services.consent_answer(
        request=consent,
        decision=ConsentDecision.CONSENT,
        reason="Huurachterstand van twee maanden",
        by=team["corporation_rep"],
    )
    sensitive = ["geschreeuw", "Dementie", "0612345678"]
    team_only = ["Brandgevaar bij de buren", "Politie kent hem niet", "Huurachterstand"]

    with translation.override("nl"):
        team_html = _history_page(verified_client(team["casemanager"]), case)
        for text in sensitive + team_only:
            assert text in team_html, text

        partner_html = _history_page(verified_client(team["ggz_rep"]), case)
        assert "Buurman" in partner_html and "Smit" in partner_html  # the persons themselves
        for text in sensitive + team_only:
            assert text not in partner_html, text

        services.sensitive_share(case=case, organisation=team["ggz"], by=team["casemanager"])
        shared_html = _history_page(verified_client(team["ggz_rep"]), case)
        for text in sensitive:
            assert text in shared_html, text
        for text in team_only:
            assert text not in shared_html, text

    services.involvement_add(case=case, organisation=team["portaal"], by=team["coordinator"])
    with translation.override("nl"):
        corporation_html = _history_page(verified_client(team["corporation_rep"]), case)
    assert "Huurachterstand" in corporation_html  # its own answer
    assert "Brandgevaar bij de buren" not in corporation_html


def test_history_hides_a_restricted_person_from_partners(team, case, verified_client):
    from privacy import services as privacy_services
    from privacy.models import RequestKind

    services.involvement_add(case=case, organisation=team["ggz"], by=team["coordinator"])
    person = case.persons.get(last_name="Smit")
    request = privacy_services.request_register(
        person=person,
        kind=RequestKind.RESTRICTION,
        received_on=timezone.localdate(),
        by=team["coordinator"],
    )
    privacy_services.person_restrict(request=request, by=team["coordinator"], reason="Bezwaar")
    assert "Smit" not in _case_page(verified_client(team["ggz_rep"]), case).content.decode()
    assert "Smit" not in _history_page(verified_client(team["ggz_rep"]), case)
    assert "Smit" in _history_page(verified_client(team["casemanager"]), case)


def test_sharing_only_with_an_involved_organisation(team, case):
    with pytest.raises(ValueError):
        services.sensitive_share(case=case, organisation=team["ggz"], by=team["casemanager"])
    with pytest.raises(PermissionError):
        services.sensitive_share(case=case, organisation=team["ggz"], by=team["ggz_rep"])
