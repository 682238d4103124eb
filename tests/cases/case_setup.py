"""Shared set-up for the case page tests: a case with its team, an involved and an
uninvolved partner (imported by tests/cases/test_case_*.py, test_journal*.py, test_documents*.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cases import services
from cases.models import Case
from partners import access
from partners.choices import Role
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory
from tests.factories.partners import NetworkFactory, OrganisationFactory, UserFactory


@dataclass
class CaseWorld:
    case: Case
    coordinator: Any
    casemanager: Any
    other_casemanager: Any
    police_rep: Any  # representative of an involved organisation
    outsider_rep: Any  # representative of an organisation not involved
    referrer: Any
    uc: Any
    politie: Any
    ggz: Any  # involved too: for "named organisations"
    ggz_rep: Any
    mitros: Any


def make_world() -> CaseWorld:
    uc = OrganisationFactory(name="U Centraal", executing=True)
    politie = OrganisationFactory(name="Politie", police=True)
    ggz = OrganisationFactory(name="GGZ Centraal")
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    coordinator = UserFactory(organisation=uc, roles=[Role.COORDINATOR])
    casemanager = UserFactory(organisation=uc, roles=[Role.CASEMANAGER])
    other_casemanager = UserFactory(organisation=uc, roles=[Role.CASEMANAGER])
    police_rep = UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE])
    ggz_rep = UserFactory(organisation=ggz, roles=[Role.PARTNER_REPRESENTATIVE])
    outsider_rep = UserFactory(organisation=mitros, roles=[Role.PARTNER_REPRESENTATIVE])
    referrer = UserFactory(organisation=mitros, roles=[Role.REFERRER])
    for user in (police_rep, ggz_rep, outsider_rep, referrer):
        access.sync_user_organisation_group(user)
    case = CaseFactory(
        casemanager=casemanager,
        network=NetworkFactory(name="Netwerk Noordwest"),
        street="Oudegracht",
        house_number=12,
    )
    ReferralFactory(case=case, organisation=mitros, referrer=referrer)
    PersonFactory(case=case, first_name="Jan", last_name="Smit", date_of_birth=dt.date(1970, 1, 1))
    services.involvement_add(case=case, organisation=politie, by=coordinator)
    services.involvement_add(case=case, organisation=ggz, by=coordinator)
    return CaseWorld(
        case=case,
        coordinator=coordinator,
        casemanager=casemanager,
        other_casemanager=other_casemanager,
        police_rep=police_rep,
        outsider_rep=outsider_rep,
        referrer=referrer,
        uc=uc,
        politie=politie,
        ggz=ggz,
        ggz_rep=ggz_rep,
        mitros=mitros,
    )


def basis_data(user: Any, category: str | None = None) -> dict[str, Any]:
    """Form data for a lawful basis from the seeded catalogue that fits the user's
    organisation (police data for the police, ordinary data otherwise; a care provider's
    with the client's consent and its date)."""
    from cases.models import LawfulBasis

    kind = user.organisation.kind
    category = category or ("police" if kind == "police" else "ordinary")
    basis = (
        LawfulBasis.objects.filter(
            is_active=True,
            organisation_kinds__contains=[kind],
            data_categories__contains=[category],
            requires_motivation=False,
        )
        .order_by("requires_consent_date", "code")
        .first()
    )
    assert basis is not None, (kind, category)
    data: dict[str, Any] = {"data_category": category, "lawful_basis": basis.pk}
    if basis.requires_consent_date:
        data["consent_date"] = "2026-03-02"
    return data
