"""One deadline, one state, on every page that shows it (issue 10: the consent deadline was
"due soon" on the intake page and "open" on the case page on the same day).

The consent deadline here has the shape of the reported one: due in two calendar days, with
the kind's window (1 working day before) starting yesterday, as over a weekend. Every page
reads its state from the deadline row through `deadlines/domain/state.py`."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.choices import CaseStatus
from cases.models import Case, ConsentRequest
from deadlines import kinds, services
from deadlines.domain import DeadlineState, due_at
from deadlines.models import Deadline
from tests.cases.case_setup import make_world
from tests.factories.deadlines import deadline_falling_due

pytestmark = pytest.mark.django_db

STATE = re.compile(r'data-deadline-state="([a-z_]+)"')


def _states(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return STATE.findall(response.content.decode())


@pytest.fixture
def world():
    from partners.models import Covenant

    Covenant.objects.update(is_active=False)  # no renewal-notice deadline on the dashboard
    world = make_world()
    today = timezone.localdate()
    case = world.case
    # Taken into handling on time three days ago: the intake deadline is met on time.
    intake = deadline_falling_due(today - dt.timedelta(days=1), kind=kinds.INTAKE, case=case)
    services.deadline_meet(
        kind=kinds.INTAKE, case=case, at=intake.due_at - dt.timedelta(days=2, hours=1)
    )
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.INTAKE, corporation=world.mitros, intake_started_on=today
    )
    consent = ConsentRequest.objects.create(
        case=case, corporation=world.mitros, requested_by=world.coordinator, requested_on=today
    )
    deadline = services.deadline_open(
        kind=kinds.CORPORATION_CONSENT,
        case=case,
        subject=consent,
        organisation=world.mitros,
        started_on=today,
    )
    due_on = today + dt.timedelta(days=2)
    Deadline.objects.filter(pk=deadline.pk).update(
        due_on=due_on,
        soon_on=today - dt.timedelta(days=1),
        due_at=due_at(due_on, settings.TIME_ZONE),
    )
    world.consent_deadline = Deadline.objects.get(pk=deadline.pk)
    return world


def test_the_consent_deadline_is_due_soon_on_every_page_the_same_day(world, verified_client):
    assert world.consent_deadline.state() == DeadlineState.DUE_SOON
    case = world.case
    client = verified_client(world.coordinator)
    due_soon, met = DeadlineState.DUE_SOON.value, DeadlineState.MET_ON_TIME.value

    # The intake page: the intake deadline and the consent request's.
    assert sorted(_states(client, reverse("cases:intake", args=[case.pk]))) == [due_soon, met]
    # The case page: the header's next deadline (the consent's), the intake and consent
    # lines, and the deadlines block (same rows).
    assert sorted(_states(client, reverse("cases:detail", args=[case.pk]))) == [
        due_soon,
        due_soon,
        due_soon,
        met,
        met,
    ]
    # The intake list: one row with both.
    assert sorted(_states(client, reverse("cases:intake_list"))) == [due_soon, met]
    # The case list: the intake deadline per row.
    assert _states(client, reverse("cases:list")) == [met]
    # The dashboard block: counted and listed as due soon; the intake as met on time.
    body = client.get(reverse("dashboard")).content.decode()
    assert 'data-count="due_soon">1<' in body and 'data-count="overdue">0<' in body
    assert sorted(STATE.findall(body)) == [due_soon, met]
    # The corporation's request inbox.
    rep = verified_client(world.outsider_rep)
    assert _states(rep, reverse("cases:requests")) == [due_soon]


def test_an_overdue_consent_is_overdue_on_every_page(world, verified_client):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Deadline.objects.filter(pk=world.consent_deadline.pk).update(
        due_on=yesterday, soon_on=yesterday, due_at=due_at(yesterday, settings.TIME_ZONE)
    )
    case = world.case
    client = verified_client(world.coordinator)
    for url in (
        reverse("cases:intake", args=[case.pk]),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:intake_list"),
        reverse("dashboard"),
    ):
        states = _states(client, url)
        assert DeadlineState.OVERDUE.value in states, url
        assert DeadlineState.DUE_SOON.value not in states, url
    assert _states(verified_client(world.outsider_rep), reverse("cases:requests")) == [
        DeadlineState.OVERDUE.value
    ]
