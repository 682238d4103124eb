"""Material support, relocation, the eviction advice and the police situation report."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from partners.access import has_role
from partners.choices import OrganisationKind, Role
from partners.models import Organisation, User

from ... import access
from ...choices import DataCategory
from ...choices_plan import (
    SupportDecision,
)
from ...domain import plan as rules
from ...domain.plan import PlanRefused
from ...models import (
    Case,
    CaseInvolvement,
    EvictionAdvice,
    Investigation,
    MaterialSupport,
    Person,
    PoliceSituationReport,
    Relocation,
)
from ...selectors import plan as plan_selectors
from ..common import _today
from ..involvement import involvement_add
from ..journal import _basis_fields
from .common import _require, _require_case_team, _require_open, _save

# --- Material support and relocation -------------------------------------------------------


def _involve(*, case: Case, organisation: Organisation, by: User) -> None:
    """The corporation asked to decide or propose sees the case: involve it when it is not."""
    if not CaseInvolvement.objects.filter(
        case=case, organisation=organisation, is_active=True
    ).exists():
        involvement_add(case=case, organisation=organisation, by=by)


@transaction.atomic
def material_support_request(
    *,
    case: Case,
    by: User,
    amount: Decimal,
    purpose: str,
    corporation: Organisation,
    why_not_regular: str,
) -> MaterialSupport:
    _require_case_team(case=case, by=by)
    _require_open(case)
    if amount <= 0:
        raise PlanRefused(_("The amount must be more than zero."))
    _involve(case=case, organisation=corporation, by=by)
    support = MaterialSupport(
        case=case,
        amount=amount,
        purpose=purpose,
        corporation=corporation,
        why_not_regular=why_not_regular,
        requested_by=by,
        requested_on=_today(),
    )
    _save(support, by=by)
    return support


@transaction.atomic
def material_support_decide(
    *, support: MaterialSupport, by: User, granted: bool, note: str = ""
) -> MaterialSupport:
    """The paying corporation grants or refuses (a refusal needs its explanation)."""
    _require(access.may_decide_material_support(by, support))
    support = MaterialSupport.objects.select_for_update().get(pk=support.pk)
    if support.decision != SupportDecision.PENDING:
        raise PlanRefused(_("The corporation has already decided on this request."))
    if not granted and not note.strip():
        raise PlanRefused(_("Explain why the request is refused."))
    support.decision = SupportDecision.GRANTED if granted else SupportDecision.REFUSED
    support.decision_note, support.decided_by, support.decided_on = note, by, _today()
    _save(support, by=by)
    return support


@transaction.atomic
def relocation_advise(
    *,
    case: Case,
    by: User,
    relocated: str,
    corporation: Organisation,
    advice: str,
    person: Person | None = None,
) -> Relocation:
    """The casemanager advises relocating the causer or a vulnerable neighbour."""
    _require_case_team(case=case, by=by)
    _require_open(case)
    if person is not None and person.case_id != case.pk:
        raise PlanRefused(_("The person must belong to this case."))
    if not advice.strip():
        raise PlanRefused(_("Write the advice."))
    _involve(case=case, organisation=corporation, by=by)
    relocation = Relocation(
        case=case,
        relocated=relocated,
        person=person,
        corporation=corporation,
        advice=advice,
        advised_by=by,
        advised_on=_today(),
    )
    _save(relocation, by=by)
    return relocation


@transaction.atomic
def relocation_propose(*, relocation: Relocation, by: User, proposal: str) -> Relocation:
    """The corporation proposes (its representatives)."""
    _require(access.may_propose_relocation(by, relocation))
    if not proposal.strip():
        raise PlanRefused(_("Write the proposal."))
    relocation.proposal, relocation.proposed_by, relocation.proposed_on = proposal, by, _today()
    _save(relocation, by=by)
    return relocation


@transaction.atomic
def relocation_note_permit(
    *, relocation: Relocation, by: User, note: str, on: datetime.date | None = None
) -> Relocation:
    """Note the housing permit (huisvestingsvergunning) of the relocation."""
    _require(access.may_note_housing_permit(by, relocation))
    if not note.strip():
        raise PlanRefused(_("Describe the housing permit."))
    relocation.housing_permit_note = note
    relocation.housing_permit_on = on or _today()
    _save(relocation, by=by)
    return relocation


# --- Eviction advice and the police situation report --------------------------------------


@transaction.atomic
def eviction_advice_give(
    *,
    case: Case,
    by: User,
    corporation: Organisation,
    advice: str,
    advised_on: datetime.date,
    consulted: Sequence[Organisation],
    neighbourhood_officer: User | None = None,
    care_need_motivation: str = "",
) -> EvictionAdvice:
    """The network's eviction advice to the landlord, recorded under the casemanager's lead
    (the case team): the corporation becomes involved in the case, so it can read it."""
    _require_case_team(case=case, by=by)
    _require_open(case)
    consulted_ids = {o.pk for o in consulted}
    officer = neighbourhood_officer
    problems = rules.eviction_advice_problems(
        advice=advice,
        advised_on=advised_on,
        today=_today(),
        is_corporation=corporation.kind == OrganisationKind.CORPORATION,
        consulted_count=len(consulted_ids),
        officer_named=officer is not None,
        officer_is_police_representative=officer is not None
        and officer.is_active
        and officer.organisation is not None
        and officer.organisation.kind == OrganisationKind.POLICE
        and has_role(officer, Role.PARTNER_REPRESENTATIVE),
        officer_organisation_consulted=officer is not None
        and officer.organisation_id in consulted_ids,
        nuisance_origin=Investigation.objects.filter(case=case)
        .values_list("nuisance_origin", flat=True)
        .first()
        or "",
        care_need_motivation=care_need_motivation,
    )
    if problems:
        raise PlanRefused(list(problems.values()))
    _involve(case=case, organisation=corporation, by=by)
    given = EvictionAdvice(
        case=case,
        corporation=corporation,
        advice=advice,
        advised_on=advised_on,
        care_need_motivation=care_need_motivation.strip(),
        neighbourhood_officer=officer,
        given_by=by,
    )
    _save(given, by=by)
    given.consulted.set(consulted_ids)
    return given


@transaction.atomic
def situation_report_share(
    *,
    advice: EvictionAdvice,
    by: User,
    report: str,
    lawful_basis: Any,
    consent_date: datetime.date | None = None,
    basis_motivation: str = "",
) -> PoliceSituationReport:
    """The police share their situation report with the eviction advice: offered only when
    the neighbourhood officer was involved in both the approach and the advice; the sharing
    records its basis (police data, the Wpg: the police's own decision)."""
    advice = (
        EvictionAdvice.objects.select_for_update(of=("self",))
        .select_related("case", "neighbourhood_officer")
        .get(pk=advice.pk)
    )
    _require(access.may_share_situation_report(by, advice))
    _require_open(advice.case)
    officer_id = advice.neighbourhood_officer_id
    reasons = rules.situation_report_refusals(
        officer_named=officer_id is not None,
        officer_in_approach=officer_id is not None
        and plan_selectors.officer_in_approach(case=advice.case, officer_id=officer_id),
        already_shared=PoliceSituationReport.objects.filter(advice=advice).exists(),
    )
    if not report.strip():
        reasons.append(_("Write the situation report."))
    if lawful_basis is None:
        reasons.append(_("Choose the lawful basis on which the police share the report."))
    if reasons:
        raise PlanRefused(reasons)
    police = by.organisation
    assert police is not None  # a police representative (may_share_situation_report)
    try:
        basis = _basis_fields(
            organisation_kind=police.kind,
            lawful_basis=lawful_basis,
            data_category=DataCategory.POLICE,
            consent_date=consent_date,
            basis_motivation=basis_motivation,
        )
    except ValueError as error:
        raise PlanRefused(
            _("This lawful basis does not cover police data shared by the police (Wpg).")
        ) from error
    shared = PoliceSituationReport(
        case=advice.case,
        advice=advice,
        report=report,
        shared_by=by,
        shared_by_organisation=police,
        shared_on=_today(),
        **basis,
    )
    _save(shared, by=by)
    return shared
