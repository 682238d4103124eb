"""Forms re-render with clear messages next to the fields."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings import services
from meetings.choices import MeetingKind
from meetings.forms import ActionForm, ApologiesForm, MeetingForm, MeetingSeriesForm
from meetings.models import Invitation
from partners.choices import Role
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db


def test_series_form_reads_skipped_dates_and_refuses_nonsense(world):
    data = {
        "network": world.network.pk, "year": 2027, "weekday": 1, "nth": 2,
        "start_time": "10:00", "location": "Wijkbureau", "skip_months": ["7", "8"],
        "skip_dates": "2027-05-11, 2027-06-08",
    }  # fmt: skip
    form = MeetingSeriesForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["skip_dates"] == [dt.date(2027, 5, 11), dt.date(2027, 6, 8)]
    assert form.cleaned_data["skip_months"] == [7, 8]
    bad = MeetingSeriesForm({**data, "skip_dates": "11 mei", "end_time": "09:00"})
    assert not bad.is_valid()
    assert {"skip_dates", "end_time"} <= set(bad.errors)


def test_meeting_form_knows_which_kinds_have_a_network(world):
    base = {"date": "2027-03-02", "start_time": "10:00", "location": "Stadskantoor"}
    assert not MeetingForm({**base, "kind": MeetingKind.CASE}).is_valid()
    assert not MeetingForm(
        {**base, "kind": MeetingKind.STEERING, "network": world.network.pk}
    ).is_valid()
    assert MeetingForm({**base, "kind": MeetingKind.STEERING}).is_valid()


def test_apologies_form_offers_only_colleagues_who_can_prepare(world):
    meeting = services.meeting_plan(
        kind=MeetingKind.CASE, network=world.network, date=dt.date(2027, 1, 12),
        start_time=dt.time(10), location="x", by=world.coordinator,
    )  # fmt: skip
    referrer = UserFactory(organisation=world.corporation, roles=[Role.REFERRER])
    invitation = Invitation.objects.get(meeting=meeting, user=world.rep_corporation)
    choices = set(ApologiesForm(invitation=invitation).fields["substitute"].queryset)
    assert world.substitute_corporation in choices
    assert referrer not in choices and world.rep_corporation not in choices
    assert world.rep_police not in choices


def test_action_form_refuses_a_person_of_another_organisation(world):
    form = ActionForm(
        {
            "organisation": world.police.pk,
            "person": world.rep_corporation.pk,
            "due_on": "2027-02-01",
            "description": "Huisbezoek",
        }  # fmt: skip
    )
    assert not form.is_valid() and "person" in form.errors
