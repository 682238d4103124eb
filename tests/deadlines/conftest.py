"""Shared set-up for the deadline tests: a team with every role the kinds tell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from partners import access
from partners.choices import Role
from tests.factories.partners import OrganisationFactory, UserFactory

AMS = ZoneInfo("Europe/Amsterdam")


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """An aware instant given in Amsterdam time (the scan takes `now`)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


@dataclass
class Team:
    coordinator: Any
    second_coordinator: Any
    casemanager: Any
    corporation_rep: Any
    other_corporation_rep: Any
    functional_admin: Any
    referrer: Any
    uc: Any
    mitros: Any
    portaal: Any


def make_team() -> Team:
    from partners.models import Covenant

    # The seeded Utrecht covenant would add its own renewal-notice deadline to every scan;
    # the covenant tests switch it back on.
    Covenant.objects.update(is_active=False)
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    portaal = OrganisationFactory(name="Portaal", corporation=True)
    team = Team(
        coordinator=UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        second_coordinator=UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        casemanager=UserFactory(organisation=uc, roles=[Role.CASEMANAGER]),
        corporation_rep=UserFactory(organisation=mitros, roles=[Role.PARTNER_REPRESENTATIVE]),
        other_corporation_rep=UserFactory(
            organisation=portaal, roles=[Role.PARTNER_REPRESENTATIVE]
        ),
        functional_admin=UserFactory(organisation=uc, roles=[Role.FUNCTIONAL_ADMIN]),
        referrer=UserFactory(organisation=mitros, roles=[Role.REFERRER]),
        uc=uc,
        mitros=mitros,
        portaal=portaal,
    )
    for user in (team.corporation_rep, team.other_corporation_rep):
        access.sync_user_organisation_group(user)
    return team


@pytest.fixture
def team(db) -> Team:
    return make_team()


def notification_keys() -> list[tuple[str, int]]:
    from notifications.models import Notification

    return sorted(Notification.objects.values_list("key", "recipient_id"))
