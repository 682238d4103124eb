"""Intake: the casemanager, the six criteria, the corporation's consent, KRIS and the police
screening."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from deadlines import kinds as deadline_kinds
from deadlines.services import (
    deadline_meet,
    deadline_open,
)
from partners.access import has_role
from partners.choices import Role
from partners.models import User

from .. import access
from .. import notifications as case_notifications
from ..choices import (
    ConsentDecision,
    KrisResult,
    RiskLevel,
)
from ..domain import workflow
from ..models import (
    Case,
    ConsentRequest,
    Criterion,
    CriterionAssessment,
    KrisCheck,
    PoliceScreening,
)
from .common import RequestStillOpenError, _today
from .involvement import involvement_end
from .journal import _basis_fields, _kind


class IntakeClosed(workflow.TransitionRefused):
    """An intake step (consent, screening, KRIS, criteria) on a case no longer in intake."""


def _require_intake(case: Case) -> None:
    reason = workflow.intake_closed_reason(case.status)
    if reason:
        raise IntakeClosed([reason])


# --- Intake --------------------------------------------------------------------------


@transaction.atomic
def case_assign_casemanager(*, case: Case, casemanager: User, by: User) -> Case:
    if not access.may_coordinate(by):
        raise PermissionError("Only a coordinator assigns a casemanager")
    if not has_role(casemanager, Role.CASEMANAGER):
        raise ValueError("Not a casemanager")
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.casemanager = casemanager
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["casemanager", "updated_at"])
    case_pk = case.pk
    transaction.on_commit(lambda: case_notifications.assignment(case_pk), robust=True)
    return case


@transaction.atomic
def criteria_assess(*, case: Case, answers: dict[int, tuple[bool, str]], by: User) -> None:
    """Record met / not met with motivation per criterion number."""
    if not access.may_assess_criteria(by, case):
        raise PermissionError("Only the coordinator or the case's casemanager assesses")
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_intake(case)
    criteria = {c.number: c for c in Criterion.objects.filter(number__in=answers)}
    for number, (is_met, motivation) in answers.items():
        assessment, _created = CriterionAssessment.objects.get_or_create(
            case=case,
            criterion=criteria[number],
            defaults={"is_met": is_met, "motivation": motivation, "assessed_by": by},
        )
        assessment.is_met, assessment.motivation, assessment.assessed_by = is_met, motivation, by
        assessment._history_user = by  # type: ignore[attr-defined]
        assessment.save()


@transaction.atomic
def criteria_override_set(*, case: Case, override: bool, motivation: str, by: User) -> Case:
    if not access.may_coordinate(by):
        raise PermissionError("Only a coordinator records a special situation")
    if override and not motivation.strip():
        raise ValueError("A special situation needs a motivation")
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_intake(case)
    case.criteria_override = override
    case.criteria_override_motivation = motivation if override else ""
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["criteria_override", "criteria_override_motivation", "updated_at"])
    return case


@transaction.atomic
def consent_request(*, case: Case, by: User) -> ConsentRequest:
    if not access.may_do_intake_checks(by, case):
        raise PermissionError("Only the case team asks consent")
    # The case row is locked, so two clicks at once still make one open request (and the
    # database holds one open request per case: one_open_consent_request_per_case).
    case = Case.objects.select_for_update().get(pk=case.pk)
    corporation_id = case.corporation_id
    if corporation_id is None:
        raise ValueError("The home is not owned by a corporation")
    _require_intake(case)
    if case.consent_requests.filter(decision="").exists():
        raise RequestStillOpenError(
            _(
                "The corporation has not answered the open consent request yet. "
                "A new request is possible once it has answered."
            )
        )
    if case.consent_requests.filter(
        corporation_id=case.corporation_id, decision=ConsentDecision.CONSENT
    ).exists():
        raise RequestStillOpenError(_("The corporation has already given its consent."))
    today = _today()
    request = ConsentRequest.objects.create(
        case=case,
        corporation_id=corporation_id,
        requested_by=by,
        requested_on=today,
    )
    deadline_open(
        kind=deadline_kinds.CORPORATION_CONSENT,
        case=case,
        subject=request,
        organisation=case.corporation,
        started_on=today,
    )
    # The corporation sees the request in its inbox, not the case: it becomes involved when
    # the case is accepted (Effect.INVOLVE_ASKED_ORGANISATIONS) or the case team involves it.
    request_pk = request.pk
    transaction.on_commit(lambda: case_notifications.consent_requested(request_pk), robust=True)
    return request


@transaction.atomic
def consent_answer(
    *, request: ConsentRequest, decision: ConsentDecision, reason: str, by: User
) -> ConsentRequest:
    request = ConsentRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    if request.decision:
        raise ValueError("Already answered")
    _require_intake(request.case)
    if decision == ConsentDecision.REFUSAL and not reason.strip():
        raise ValueError("A refusal needs a reason")
    request.decision, request.reason = decision, reason
    request.answered_by, request.answered_on = by, _today()
    request._history_user = by  # type: ignore[attr-defined]
    request.save()
    deadline_meet(kind=deadline_kinds.CORPORATION_CONSENT, case=request.case, subject=request)
    if decision == ConsentDecision.REFUSAL:
        # A refused consent ends the corporation's access to the case (if it was involved).
        involvement_end(
            case=request.case,
            organisation=request.corporation,
            by=by,
            reason=_("The corporation refused its consent."),
        )
    return request


# --- Intake: KRIS, police screening, decision ----------------------------------------


@transaction.atomic
def kris_record(
    *,
    case: Case,
    by: User,
    result: str,
    trajectory_manager_name: str = "",
    trajectory_manager_organisation: str = "",
    trajectory_manager_contacted_on: datetime.date | None = None,
    plans_aligned: bool | None = None,
    target_group_outcome: str = "",
    registered_with_altrecht: bool = False,
) -> KrisCheck:
    """Record (or correct, during intake) the result of the KRIS check and its follow-up:
    known → the trajectory manager, when they were contacted and whether the plans were
    aligned; unknown → the target-group outcome and whether the client was registered
    ("aangemeld") with Altrecht. Only the fields of that result are kept."""
    if not access.may_do_intake_checks(by, case):
        raise PermissionError("Only the case team records the KRIS check")
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_intake(case)
    result = KrisResult(result)
    if result == KrisResult.KNOWN:
        if not (trajectory_manager_name.strip() and trajectory_manager_organisation.strip()):
            raise ValueError("Known in KRIS needs the trajectory manager and organisation")
        if trajectory_manager_contacted_on is None or plans_aligned is None:
            raise ValueError("Known in KRIS needs the contact date and whether plans are aligned")
        if trajectory_manager_contacted_on > _today():
            raise ValueError("The contact date cannot be in the future")
        target_group_outcome, registered_with_altrecht = "", False
    else:
        if not target_group_outcome.strip():
            raise ValueError("Unknown in KRIS needs the outcome of the target-group check")
        trajectory_manager_name = trajectory_manager_organisation = ""
        trajectory_manager_contacted_on, plans_aligned = None, None
    check = KrisCheck.objects.filter(case=case).first() or KrisCheck(case=case)
    check.result = result
    check.trajectory_manager_name = trajectory_manager_name
    check.trajectory_manager_organisation = trajectory_manager_organisation
    check.trajectory_manager_contacted_on = trajectory_manager_contacted_on
    check.plans_aligned = plans_aligned
    check.target_group_outcome = target_group_outcome
    check.referred_to_altrecht = registered_with_altrecht  # the column's old name
    check.recorded_by = by
    check._history_user = by  # type: ignore[attr-defined]
    check.save()
    return check


@transaction.atomic
def screening_request(*, case: Case, by: User) -> Any:
    """Ask the police for a screening. The police see the request in their inbox, not the
    case: the organisation that records the screening becomes involved when the case is
    accepted (Effect.INVOLVE_ASKED_ORGANISATIONS)."""
    if not access.may_do_intake_checks(by, case):
        raise PermissionError("Only the case team asks a police screening")

    # The case row is locked, so two clicks at once still make one open request (and the
    # database holds one open request per case: one_open_screening_request_per_case).
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_intake(case)
    if case.screening_waived_on is not None:
        raise RequestStillOpenError(_("The police screening was waived for this case."))
    if case.police_screenings.filter(risk_level="").exists():
        raise RequestStillOpenError(
            _(
                "The police have not recorded the open screening request yet. "
                "A new request is possible once they have."
            )
        )
    screening = PoliceScreening.objects.create(case=case, requested_by=by, requested_on=_today())
    screening_pk = screening.pk
    transaction.on_commit(lambda: case_notifications.screening_requested(screening_pk), robust=True)
    return screening


@transaction.atomic
def screening_record(
    *,
    screening: Any,
    by: User,
    risk_level: str,
    safety_advice: str,
    details: str = "",
    lawful_basis: Any = None,
    data_category: str = "police",
    consent_date: datetime.date | None = None,
    basis_motivation: str = "",
) -> Any:
    """The police's answer: risk level, safety advice (shared) and details (need to know),
    with the basis on which the police share it."""

    screening = (
        PoliceScreening.objects.select_for_update().select_related("case").get(pk=screening.pk)
    )
    _require_intake(screening.case)
    screening.risk_level = RiskLevel(risk_level)
    screening.safety_advice = safety_advice
    screening.details = details
    basis = _basis_fields(
        organisation_kind=_kind(by),
        lawful_basis=lawful_basis,
        data_category=data_category,
        consent_date=consent_date,
        basis_motivation=basis_motivation,
    )
    for name, value in basis.items():
        setattr(screening, name, value)
    screening.screened_by, screening.screened_on = by, _today()
    screening.screened_by_organisation_id = by.organisation_id
    screening._history_user = by
    screening.save()
    return screening


@transaction.atomic
def screening_waive(*, case: Case, by: User, reason: str) -> Case:
    """The case team decides not to wait for (or not to ask) the police screening, with a
    reason; acceptance then no longer waits for it (DOMAIN.md §4)."""
    if not access.may_do_intake_checks(by, case):
        raise PermissionError("Only the case team waives the police screening")
    if not reason.strip():
        raise ValueError("Waiving the police screening needs a reason")
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_intake(case)
    if case.police_screenings.exclude(risk_level="").exists():
        raise RequestStillOpenError(_("The police have already answered the screening."))
    case.screening_waiver_reason = reason
    case.screening_waived_by, case.screening_waived_on = by, _today()
    case._history_user = by  # type: ignore[attr-defined]
    case.save(
        update_fields=[
            "screening_waiver_reason",
            "screening_waived_by",
            "screening_waived_on",
            "updated_at",
        ]
    )
    return case
