"""The case services tell the right people through notify(), on commit, once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services
from notifications.choices import Event
from notifications.models import Notification
from partners.choices import Role
from tests.factories.cases import CaseFactory
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    portaal = OrganisationFactory(name="Portaal", corporation=True)
    politie = OrganisationFactory(name="Politie", police=True)
    return {
        "coordinator": UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        "casemanager": UserFactory(organisation=uc, roles=[Role.CASEMANAGER]),
        "mitros_rep": UserFactory(organisation=mitros, roles=[Role.PARTNER_REPRESENTATIVE]),
        "mitros_referrer": UserFactory(organisation=mitros, roles=[Role.REFERRER]),
        "portaal_rep": UserFactory(organisation=portaal, roles=[Role.PARTNER_REPRESENTATIVE]),
        "police_rep": UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE]),
        "police_referrer": UserFactory(organisation=politie, roles=[Role.REFERRER]),
        "mitros": mitros,
    }


def _told(event: Event) -> set:
    return set(Notification.objects.filter(event=event).values_list("recipient", flat=True))


def test_consent_request_tells_the_corporations_representatives_only(
    team, django_capture_on_commit_callbacks
):
    case = CaseFactory(number="WO-2026-0301", corporation=team["mitros"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request = services.consent_request(case=case, by=team["coordinator"])
    assert callbacks  # queued on commit, not inside the transaction
    assert _told(Event.CONSENT_REQUESTED) == {team["mitros_rep"].pk}
    notification = Notification.objects.get(event=Event.CONSENT_REQUESTED)
    assert notification.url == reverse("cases:consent_answer", args=[request.pk])
    assert notification.context == {"number": "WO-2026-0301"}
    assert notification.key == f"consent:{request.pk}:requested"


def test_screening_request_tells_the_police_representatives_only(
    team, django_capture_on_commit_callbacks
):
    case = CaseFactory(number="WO-2026-0302")
    with django_capture_on_commit_callbacks(execute=True):
        screening = services.screening_request(case=case, by=team["coordinator"])
    assert _told(Event.SCREENING_REQUESTED) == {team["police_rep"].pk}
    notification = Notification.objects.get(event=Event.SCREENING_REQUESTED)
    assert notification.url == reverse("cases:screening_record", args=[screening.pk])


def test_assignment_tells_the_casemanager_once(team, django_capture_on_commit_callbacks):
    case = CaseFactory(number="WO-2026-0303")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.case_assign_casemanager(
                case=case, casemanager=team["casemanager"], by=team["coordinator"]
            )
    assert _told(Event.ASSIGNED) == {team["casemanager"].pk}
    assert Notification.objects.filter(event=Event.ASSIGNED).count() == 1


def test_nothing_is_told_when_the_transaction_rolls_back(team):
    from django.db import transaction

    case = CaseFactory(number="WO-2026-0304", corporation=team["mitros"])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.consent_request(case=case, by=team["coordinator"])
        raise RuntimeError("rolled back")
    assert not Notification.objects.exists()


def test_a_failing_notification_never_breaks_the_committed_action(
    team, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from cases import notifications as case_notifications

    def broken(*args, **kwargs):
        raise RuntimeError("notifications are down")

    monkeypatch.setattr(case_notifications, "screening_requested", broken)
    case = CaseFactory(number="WO-2026-0305")
    with django_capture_on_commit_callbacks(execute=True):
        screening = services.screening_request(case=case, by=team["coordinator"])
    assert screening.pk
    assert "notifications are down" in caplog.text
