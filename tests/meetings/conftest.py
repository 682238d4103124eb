"""A network with two partner organisations, their standing representatives, and cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from cases.choices import CaseStatus
from cases.models import CaseInvolvement
from partners.choices import Role
from partners.models import Organisation
from tests.factories.cases import CaseFactory, PersonFactory
from tests.factories.partners import (
    DistrictFactory,
    NetworkFactory,
    NetworkRepresentativeFactory,
    OrganisationFactory,
    UserFactory,
)


@dataclass
class World:
    network: Any
    coordinator: Any
    casemanager: Any
    corporation: Any
    police: Any
    rep_corporation: Any
    rep_police: Any
    substitute_corporation: Any
    on_call: Any
    on_call_rep: Any
    case_execution: Any
    case_investigation: Any
    case_intake: Any


def involve(case, organisation, by):
    CaseInvolvement.objects.create(case=case, organisation=organisation, added_by=by)


@pytest.fixture
def world(db, coordinator) -> World:
    district = DistrictFactory(name="Overvecht")
    network = NetworkFactory(name="Netwerk Noordoost")
    network.districts.add(district)
    casemanager = UserFactory(organisation=coordinator.organisation, roles=[Role.CASEMANAGER])
    corporation = OrganisationFactory(name="Woonstichting Test", corporation=True)
    police = OrganisationFactory(name="Politie Test", police=True)
    rep_corporation = UserFactory(organisation=corporation, roles=[Role.PARTNER_REPRESENTATIVE])
    rep_police = UserFactory(organisation=police, roles=[Role.PARTNER_REPRESENTATIVE])
    substitute = UserFactory(organisation=corporation, roles=[Role.PARTNER_REPRESENTATIVE])
    for user in (rep_corporation, rep_police):
        NetworkRepresentativeFactory(network=network, user=user)
    on_call = Organisation.objects.filter(on_call_only=True).first() or OrganisationFactory(
        name="Victas Test", on_call_only=True
    )
    on_call_rep = UserFactory(organisation=on_call, roles=[Role.PARTNER_REPRESENTATIVE])

    def case(status, first, last, house_number):
        made = CaseFactory(
            status=status,
            network=network,
            district=district,
            street="Zamenhofdreef",
            house_number=house_number,
            casemanager=casemanager,
            accepted_on=dt.date(2026, 9, 1),
        )
        PersonFactory(case=made, first_name=first, last_name=last)
        return made

    case_execution = case(CaseStatus.FINAL_EVALUATION, "Piet", "de Boer", 417)
    case_investigation = case(CaseStatus.INVESTIGATION, "Karel", "Verbeek", 523)
    case_intake = case(CaseStatus.INTAKE, "Ineke", "Zwart", 619)
    involve(case_execution, corporation, coordinator)
    involve(case_intake, corporation, coordinator)
    involve(case_investigation, police, coordinator)
    return World(
        network=network,
        coordinator=coordinator,
        casemanager=casemanager,
        corporation=corporation,
        police=police,
        rep_corporation=rep_corporation,
        rep_police=rep_police,
        substitute_corporation=substitute,
        on_call=on_call,
        on_call_rep=on_call_rep,
        case_execution=case_execution,
        case_investigation=case_investigation,
        case_intake=case_intake,
    )
