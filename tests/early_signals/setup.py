"""The people and signals of the early-signal tests (seeded organisations of Utrecht)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cases.models import LawfulBasis
from early_signals import services
from early_signals.models import Signal
from partners import access
from partners.choices import Role
from partners.models import District, Organisation, User
from tests.factories.partners import UserFactory


@dataclass
class World:
    coordinator: User
    casemanager: User
    mitros_rep: User
    mitros_referrer: User
    portaal_rep: User
    police_rep: User
    manager: User


def make_world() -> World:
    orgs = {o.name: o for o in Organisation.objects.all()}

    def user(org: str, role: Role) -> User:
        made = UserFactory(organisation=orgs[org], roles=[role])
        access.sync_user_organisation_group(made)
        return made

    return World(
        coordinator=user("U Centraal", Role.COORDINATOR),
        casemanager=user("U Centraal", Role.CASEMANAGER),
        mitros_rep=user("Mitros", Role.PARTNER_REPRESENTATIVE),
        mitros_referrer=user("Mitros", Role.REFERRER),
        portaal_rep=user("Portaal", Role.PARTNER_REPRESENTATIVE),
        police_rep=user("Politie", Role.PARTNER_REPRESENTATIVE),
        manager=user("U Centraal", Role.MANAGER),
    )


def basis_for(user: User) -> LawfulBasis:
    kind = user.organisation.kind
    category = "police" if kind == "police" else "ordinary"
    basis = (
        LawfulBasis.objects.filter(
            is_active=True,
            organisation_kinds__contains=[kind],
            data_categories__contains=[category],
            requires_motivation=False,
            requires_consent_date=False,
        )
        .order_by("code")
        .first()
    )
    assert basis is not None
    return basis


def record(user: User, *, postcode: str = "3511AB", house_number: int = 12, **extra: Any) -> Signal:
    basis = basis_for(user)
    data: dict[str, Any] = {
        "postcode": postcode,
        "house_number": house_number,
        "house_number_addition": "",
        "district": District.objects.get(name="Binnenstad"),
        "nuisance_forms": ["noise", "pollution"],
        "nuisance_since": dt.date(2026, 9, 1),
        "own_actions": "Gesprek gevoerd en een waarschuwingsbrief gestuurd.",
        "note": "Veel geluid 's nachts.",
        "lawful_basis": basis,
        "data_category": "police" if user.organisation.kind == "police" else "ordinary",
        "consent_date": None,
        "basis_motivation": "",
    }
    data.update(extra)
    return services.signal_record(**data, by=user)
