"""The referral-to-acceptance path through the services, on a real database."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cases import access, keys, selectors, services
from cases.choices import CaseStatus, ConsentDecision, NuisanceForm, PersonRole, RedirectTarget
from cases.domain.workflow import TransitionRefused
from cases.models import Case, CaseStatusChange, Criterion
from deadlines import kinds
from deadlines.models import Deadline
from partners import access as partners_access
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
    return {
        "coordinator": UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        "casemanager": UserFactory(organisation=uc, roles=[Role.CASEMANAGER]),
        "referrer": UserFactory(organisation=mitros, roles=[Role.REFERRER]),
        "corporation_rep": UserFactory(organisation=mitros, roles=[Role.PARTNER_REPRESENTATIVE]),
        "police_rep": UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE]),
        "mitros": mitros,
        "politie": politie,
    }


def _submitted_referral(team, django_capture_on_commit_callbacks, **case_data):
    referrer = team["referrer"]
    referral = services.referral_start(by=referrer)
    services.referral_update(
        referral=referral,
        by=referrer,
        version=referral.version,
        referral_data={
            "nuisance_forms": [NuisanceForm.NOISE, NuisanceForm.HOARDING],
            "contact_name": "R. Eferent",
        },
        case_data={
            "postcode": "3511AB",
            "house_number": 7,
            "street": "Oudegracht",
            "city": "Utrecht",
            **case_data,
        },
        persons=[
            {
                "role": PersonRole.CAUSER,
                "first_name": "Jan",
                "last_name": "Smit",
                "date_of_birth": dt.date(1970, 1, 1),
            }
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_transition(
            case=referral.case, to=CaseStatus.REFERRED, by=referrer, referral=referral
        )
    return case


def test_submit_gives_a_case_number_and_intake_deadline_and_tells_coordinators(
    team, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = (
        True  # unit test of the task body; real worker tested elsewhere
    )
    case = _submitted_referral(team, django_capture_on_commit_callbacks)
    assert case.status == CaseStatus.REFERRED
    assert case.number.startswith(f"WO-{case.referred_on.year}-")
    assert Deadline.objects.get(case=case, kind=kinds.INTAKE).due_on > case.referred_on
    assert [m.to for m in mail.outbox] == [[team["coordinator"].email]]
    assert case.number in mail.outbox[0].body
    assert "Smit" not in mail.outbox[0].body  # no personal data in e-mail


def test_case_numbers_count_up_per_year(team, django_capture_on_commit_callbacks, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    first = _submitted_referral(team, django_capture_on_commit_callbacks)
    second = _submitted_referral(team, django_capture_on_commit_callbacks)
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


def test_accept_is_refused_without_criteria_and_allowed_with_them(
    team, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    coordinator = team["coordinator"]
    case = _submitted_referral(team, django_capture_on_commit_callbacks, corporation=team["mitros"])
    case = services.case_transition(case=case, to=CaseStatus.INTAKE, by=coordinator)
    services.case_assign_casemanager(case=case, casemanager=team["casemanager"], by=coordinator)
    with pytest.raises(TransitionRefused) as refused:
        _accept(case, coordinator)
    assert "criteria" in str(refused.value)

    services.criteria_assess(
        case=case,
        answers={c.number: (True, "Onderbouwing") for c in Criterion.objects.all()},
        by=coordinator,
    )
    intake_steps.waive_screening(case, coordinator)
    intake_steps.record_kris(case, coordinator)
    with pytest.raises(TransitionRefused, match="toestemming"):
        _accept(case, coordinator)

    request = services.consent_request(case=case, by=coordinator)
    services.consent_answer(
        request=request, decision=ConsentDecision.CONSENT, reason="", by=team["corporation_rep"]
    )
    case = _accept(case, coordinator)
    assert case.status == CaseStatus.ACCEPTED
    steps = list(CaseStatusChange.objects.filter(case=case).values_list("to_status", flat=True))
    assert steps == [CaseStatus.REFERRED, CaseStatus.INTAKE, CaseStatus.ACCEPTED]


def test_override_accepts_despite_unmet_criteria(
    team, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    coordinator = team["coordinator"]
    case = _submitted_referral(team, django_capture_on_commit_callbacks)
    case = services.case_transition(case=case, to=CaseStatus.INTAKE, by=coordinator)
    services.case_assign_casemanager(case=case, casemanager=team["casemanager"], by=coordinator)
    services.criteria_override_set(
        case=case, override=True, motivation="Acute escalatie", by=coordinator
    )
    intake_steps.waive_screening(case, coordinator)
    intake_steps.record_kris(case, coordinator)
    assert _accept(case, coordinator).status == CaseStatus.ACCEPTED


def test_special_situation_departs_from_the_criteria_only_not_from_consent(
    team, django_capture_on_commit_callbacks, settings
):
    """Covenant and DOMAIN.md §4: in a corporation home the corporation consents first, also
    when the coordinator records a special situation (e.g. acute escalation)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    coordinator = team["coordinator"]
    case = _submitted_referral(team, django_capture_on_commit_callbacks, corporation=team["mitros"])
    case = services.case_transition(case=case, to=CaseStatus.INTAKE, by=coordinator)
    services.case_assign_casemanager(case=case, casemanager=team["casemanager"], by=coordinator)
    intake_steps.assess_criteria(case, coordinator, met=False)
    services.criteria_override_set(
        case=case, override=True, motivation="Acute escalatie", by=coordinator
    )
    intake_steps.waive_screening(case, coordinator)
    intake_steps.record_kris(case, coordinator)
    with pytest.raises(TransitionRefused) as refused:
        _accept(case, coordinator)
    assert refused.value.reasons == [
        "De woningcorporatie die eigenaar is, heeft geen toestemming gegeven."
    ]
    intake_steps.give_consent(case, coordinator, team["corporation_rep"])
    assert _accept(case, coordinator).status == CaseStatus.ACCEPTED


def _accept(case, by):
    return services.case_transition(case=case, to=CaseStatus.ACCEPTED, by=by)


def test_referrer_may_not_accept(team):
    case = CaseFactory(status=CaseStatus.INTAKE)
    with pytest.raises(TransitionRefused, match="rol"):
        _accept(case, team["referrer"])


def test_redirect_records_target_and_reason(team):
    case = CaseFactory(status=CaseStatus.INTAKE)
    case = services.case_transition(
        case=case,
        to=CaseStatus.REDIRECTED,
        motivation="Buurtbemiddeling past",
        target=RedirectTarget.MEDIATION,
        by=team["coordinator"],
    )
    assert case.status == CaseStatus.REDIRECTED
    assert Case.objects.get(pk=case.pk).redirect_target == RedirectTarget.MEDIATION
    assert case.status_changes.last().motivation == "Buurtbemiddeling past"


def test_involvement_grants_and_withdraws_access_at_once(team):
    case = CaseFactory(status=CaseStatus.ACCEPTED)
    police = team["police_rep"]
    partners_access.sync_user_organisation_group(police)
    assert not access.visible_cases(police).filter(pk=case.pk).exists()
    services.involvement_add(case=case, organisation=team["politie"], by=team["coordinator"])
    assert access.visible_cases(police).filter(pk=case.pk).exists()
    services.involvement_end(case=case, organisation=team["politie"], by=team["coordinator"])
    assert not access.visible_cases(police).filter(pk=case.pk).exists()


def test_referrer_of_an_involved_organisation_sees_no_case_content(team):
    case = CaseFactory(status=CaseStatus.ACCEPTED)
    partners_access.sync_user_organisation_group(team["referrer"])
    services.involvement_add(case=case, organisation=team["mitros"], by=team["coordinator"])
    assert not access.visible_cases(team["referrer"]).exists()


def test_repeat_referral_is_flagged_for_same_person_and_nuisance_kind(
    team, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    earlier = CaseFactory(closed=True, closed_on=timezone.localdate() - dt.timedelta(days=400))
    ReferralFactory(case=earlier, nuisance_forms=[NuisanceForm.NOISE])
    PersonFactory(
        case=earlier,
        first_name="Ján",
        last_name="SMIT",
        date_of_birth=dt.date(1970, 1, 1),
        person_key=keys.person_key("Ján", "SMIT", dt.date(1970, 1, 1)),
    )
    case = _submitted_referral(team, django_capture_on_commit_callbacks)
    assert case.is_repeat_referral
    assert selectors.earlier_cases_for(case=case) == [earlier]
    assert [(m.earlier, m.on_person, m.counts) for m in case.recidivism_matches.all()] == [
        (earlier, True, True)
    ]


def test_attach_duplicate_moves_the_referral_to_the_open_case(
    team, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    first = _submitted_referral(team, django_capture_on_commit_callbacks)
    second = _submitted_referral(team, django_capture_on_commit_callbacks)
    assert list(selectors.open_duplicates_for(case=second)) == [first]
    services.case_transition(
        case=second, to=CaseStatus.ATTACHED, by=team["coordinator"], into=first
    )
    assert first.referrals.count() == 2
    assert Case.objects.get(pk=second.pk).status == CaseStatus.ATTACHED
    assert first.persons.count() == 1  # the same causer is not copied twice
