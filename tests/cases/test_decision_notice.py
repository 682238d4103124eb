"""The referrer's organisation is told of the intake decision, by a real Celery worker on the
Redis broker; the e-mail holds the case number and a link behind sign-in, nothing more."""

import time

import pytest
from django.core import mail

import notifications.tasks  # noqa: F401 - registers the tasks with the test worker's app
from cases import notifications, services
from cases.choices import CaseStatus, NuisanceForm, RedirectTarget
from notifications.models import Notification
from partners.choices import Role
from tests.cases import intake_steps
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory
from tests.factories.partners import OrganisationFactory, UserFactory


@pytest.fixture
def team(db):
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    return {
        "coordinator": UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        "casemanager": UserFactory(organisation=uc, roles=[Role.CASEMANAGER]),
        "referrer": UserFactory(organisation=mitros, roles=[Role.REFERRER]),
        "colleague": UserFactory(organisation=mitros, roles=[Role.REFERRER]),
        "mitros": mitros,
    }


@pytest.fixture
def case(team):
    case = CaseFactory(
        status=CaseStatus.INTAKE,
        casemanager=team["casemanager"],
        street="Kanaalstraat",
        house_number=77,
        postcode="3531CK",
    )
    ReferralFactory(
        case=case,
        organisation=team["mitros"],
        referrer=team["referrer"],
        nuisance_forms=[NuisanceForm.NOISE],
        description="Harde muziek van de familie Smit",
    )
    PersonFactory(case=case, first_name="Jan", last_name="Smit")
    return case


def _wait_for_mail(count: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def _assert_only_number_and_link(message, case):
    text = message.subject + "\n" + message.body
    assert case.number in text
    assert "/mijn-aanmeldingen/" in message.body
    assert f"/casussen/{case.pk}/" not in message.body  # the status page, not the case
    for personal in ["Smit", "Jan", "Kanaalstraat", "77", "3531", "muziek", "Acute escalatie"]:
        assert personal not in text
    # Nothing but the number and the link: no outcome, no reason, no target.
    for detail in ["accept", "aangenomen", "redirect", "doorverw", "laatstekans", "last-chance"]:
        assert detail.lower() not in text.lower()


@pytest.mark.django_db(transaction=True)
def test_accepting_sends_the_notice_through_a_real_worker(celery_worker, team, case):
    services.criteria_override_set(
        case=case, override=True, motivation="Acute escalatie", by=team["coordinator"]
    )
    intake_steps.waive_screening(case, team["coordinator"])
    intake_steps.record_kris(case, team["coordinator"])
    mail.outbox.clear()

    # Committed here (transaction=True): on_commit queues the task on the Redis broker, the
    # worker thread picks it up, loads the case fresh and sends the mail.
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, by=team["coordinator"])

    _wait_for_mail(1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [team["referrer"].email]
    _assert_only_number_and_link(message, case)


@pytest.mark.django_db(transaction=True)
def test_redirecting_sends_the_notice_through_a_real_worker(celery_worker, team, case):
    mail.outbox.clear()
    services.case_transition(
        case=case,
        to=CaseStatus.REDIRECTED,
        target=RedirectTarget.LAST_CHANCE,
        motivation="Laatstekansbeleid past beter",
        by=team["coordinator"],
    )
    _wait_for_mail(1)
    assert [m.to for m in mail.outbox] == [[team["referrer"].email]]
    _assert_only_number_and_link(mail.outbox[0], case)
    assert "Laatstekansbeleid past beter" not in mail.outbox[0].body


def test_the_organisation_is_told_when_the_referrer_has_left(
    team, case, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the e-mail task's body; the worker is above
    referrer = team["referrer"]
    referrer.is_active = False
    referrer.save()
    case.status = CaseStatus.ACCEPTED
    case.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.decision(case.pk) == 1
    assert mail.outbox[0].to == [team["colleague"].email]
    # The same notice in the application, once, however often it is sent.
    assert notifications.decision(case.pk) == 0
    notice = Notification.objects.get(key=f"case:{case.pk}:decision")
    assert notice.recipient == team["colleague"]


def test_no_notice_before_a_decision(team, case):
    mail.outbox.clear()
    assert notifications.decision(case.pk) == 0
    assert mail.outbox == []
    assert not Notification.objects.exists()
