"""Every write on cases. Plain functions, keyword-only, the acting user as `by`.

Transitions go through `case_transition()`, which asks `domain/workflow.py`; grants go
through `cases.access.sync_case_grants()`; tasks are queued on commit.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from deadlines import kinds as deadline_kinds
from deadlines.services import (
    deadline_lapse,
    deadline_meet,
    deadline_open,
    deadlines_lapse_for_case,
)
from partners.access import has_role, roles_of
from partners.choices import Role
from partners.models import Organisation, User

from .. import access, documents, extensions, keys
from .. import notifications as case_notifications
from ..choices import (
    CaseStatus,
    Confidentiality,
    ConsentDecision,
    DataCategory,
    KrisResult,
    RecidivismDecision,
    RedirectTarget,
    RiskLevel,
)
from ..choices_plan import ActionStatus
from ..domain import workflow
from ..models import (
    Case,
    CaseInvolvement,
    CaseNumberSequence,
    CaseStatusChange,
    ConsentRequest,
    Criterion,
    CriterionAssessment,
    Document,
    JournalEntry,
    KrisCheck,
    LawfulBasis,
    Person,
    PoliceScreening,
    RecidivismMatch,
    Referral,
    SensitiveShare,
)
from ..models.plan import Action
from ..selectors import earlier_cases_for
from ..selectors.plan import plan_facts


class StaleEdit(Exception):  # noqa: N818 - a refusal shown to the user
    """Someone else saved this record after it was loaded (optimistic locking)."""


class RequestStillOpenError(ValueError):
    """A consent or screening request is still open on the case: one at a time."""


def _today() -> datetime.date:
    return timezone.localdate()


def _bump_version(model: type[Any], pk: int, expected_version: int) -> None:
    """Raise StaleEdit unless the row still has `expected_version`; then increment it."""
    updated = model.objects.filter(pk=pk, version=expected_version).update(version=F("version") + 1)
    if not updated:
        raise StaleEdit(
            _("Someone else saved this in the meantime. Your input is kept; check and save again.")
        )


def _next_case_number(year: int) -> str:
    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{settings.CASE_NUMBER_PREFIX}-{year}-{sequence.last:04d}"


def _count(queryset: Any) -> Any:
    """A subquery counting `queryset`'s rows (0 when none)."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def case_facts(*, case: Case, by: User) -> workflow.CaseFacts:
    """What the workflow guards need, in a handful of queries: the intake facts in one, the
    plan facts (agreed plan, final evaluation, open actions) from `plan_facts` in another.
    Every page that offers steps gets them, so no caller can forget or claim them."""
    needs_consent = case.corporation_id is not None
    active = CriterionAssessment.objects.filter(case=OuterRef("pk"), criterion__is_active=True)
    # Criteria, consent, screening and KRIS in one query.
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            active_criteria=_count(Criterion.objects.filter(is_active=True)),
            assessed=_count(active),
            unmet=Exists(active.filter(is_met=False)),
            consented=Exists(
                ConsentRequest.objects.filter(
                    case=OuterRef("pk"),
                    corporation=OuterRef("corporation"),
                    decision=ConsentDecision.CONSENT,
                )
            ),
            screened=Exists(
                PoliceScreening.objects.filter(case=OuterRef("pk")).exclude(risk_level="")
            ),
        )
        .values(
            "active_criteria",
            "assessed",
            "unmet",
            "consented",
            "screened",
            "kris_check__result",
            "kris_check__trajectory_manager_contacted_on",
            "kris_check__plans_aligned",
            "kris_check__target_group_outcome",
        )
        .get()
    )
    kris_recorded = workflow.kris_is_complete(
        result=row["kris_check__result"],
        trajectory_manager_contacted_on=row["kris_check__trajectory_manager_contacted_on"],
        plans_aligned=row["kris_check__plans_aligned"],
        target_group_outcome=row["kris_check__target_group_outcome"],
    )
    plan = plan_facts(case)
    return workflow.CaseFacts(
        status=CaseStatus(case.status),
        has_casemanager=case.casemanager_id is not None,
        criteria_complete=0 < row["active_criteria"] == row["assessed"],
        criteria_all_met=row["assessed"] > 0 and not row["unmet"],
        criteria_override=case.criteria_override,
        needs_corporation_consent=needs_consent,
        corporation_consented=needs_consent and row["consented"],
        screening_settled=case.screening_waived_on is not None or row["screened"],
        kris_recorded=kris_recorded,
        has_agreed_plan=plan.has_agreed_plan,
        has_final_evaluation=plan.has_final_evaluation,
        has_open_actions=plan.has_open_actions,
        actor_roles=roles_of(by),
        actor_is_casemanager=case.casemanager_id == by.pk,
    )


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to: CaseStatus,
    by: User,
    motivation: str = "",
    **details: Any,
) -> Case:
    """THE way a case changes status: the workflow table's guard, the status change, the
    append-only status-change row and every effect the table lists for the step, in one
    transaction; notices are queued on commit. `details` are what the effects need
    (`referral` to submit, `target` to redirect, `into` to attach)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    facts = case_facts(case=case, by=by)
    step = workflow.require_transition(facts, CaseStatus(to))
    lacking = workflow.missing(step, motivation=motivation, details=details)
    if lacking:
        raise workflow.TransitionRefused(lacking)
    from_status = case.status
    case.status = to
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["status", "updated_at"])
    CaseStatusChange.objects.create(
        case=case, from_status=from_status, to_status=to, by=by, motivation=motivation
    )
    for effect in step.effects:
        _EFFECTS[effect](case, by, details)
    return case


# --- The effects of transitions (workflow.Effect): each one small, run in the table's order.

_Details = dict[str, Any]


def _set_date(case: Case, by: User, field: str) -> None:
    setattr(case, field, _today())
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=[field, "updated_at"])


def _submit_referral(case: Case, by: User, details: _Details) -> None:
    """Case number, received date, the intake deadline (its due date and state live in the
    deadline row only), the recidivism check, and the referral's submission time."""
    today = _today()
    case.number = _next_case_number(today.year)
    case.referred_on = today
    deadline_open(kind=deadline_kinds.INTAKE, case=case, started_on=today)
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["number", "referred_on", "updated_at"])
    recidivism_check(case=case)
    # save(), not update(): the submission is part of the referral's history.
    referral = Referral.objects.get(pk=details["referral"].pk, case=case)
    referral.submitted_at = timezone.now()
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save(update_fields=["submitted_at", "updated_at"])
    # Feature apps above cases (early signals on the same address) take part here.
    extensions.referral_submitted_run(case=case, by=by)


def _record_redirect_target(case: Case, by: User, details: _Details) -> None:
    case.redirect_target = RedirectTarget(details["target"])
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["redirect_target", "updated_at"])  # a decision: kept in history


def _move_to_open_case(case: Case, by: User, details: _Details) -> None:
    """Attach a duplicate referral: its referrals and new persons move to the open case."""

    into: Case = details["into"]
    if into.pk == case.pk or into.status not in workflow.OPEN_STATUSES:
        raise workflow.TransitionRefused([_("Attach only to another open case.")])
    # Moves of personal data and the decision itself are written with history (not update()).
    referrals = list(Referral.objects.filter(case=case))
    persons = list(
        Person.objects.filter(case=case).exclude(
            person_key__in=into.persons.exclude(person_key="").values("person_key")
        )
    )
    for row in [*referrals, *persons]:
        row.case = into
    bulk_update_with_history(referrals, Referral, ["case"], default_user=by)
    bulk_update_with_history(persons, Person, ["case"], default_user=by)
    case.merged_into = into
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["merged_into", "updated_at"])
    # Feature apps above cases move what they hold of the duplicate (early signals).
    extensions.case_attached_run(case=case, into=into, by=by)


def _on_commit(task: Any, pk: int) -> None:
    transaction.on_commit(lambda: task(pk), robust=True)


def _reopen(case: Case, by: User, details: _Details) -> None:
    """A reopened case is open again: no closing date, no retention period running."""
    deadline_lapse(kind=deadline_kinds.RETENTION, case=case)
    case.closed_on = None
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["closed_on", "updated_at"])


_EFFECTS: dict[workflow.Effect, Any] = {
    workflow.Effect.SUBMIT_REFERRAL: _submit_referral,
    workflow.Effect.NOTIFY_NEW_REFERRAL: lambda case, by, d: _on_commit(
        case_notifications.new_referral, case.pk
    ),
    workflow.Effect.SET_INTAKE_STARTED: lambda case, by, d: _set_date(
        case, by, "intake_started_on"
    ),
    workflow.Effect.MEET_INTAKE_DEADLINE: lambda case, by, d: deadline_meet(
        kind=deadline_kinds.INTAKE, case=case
    ),
    workflow.Effect.SET_ACCEPTED: lambda case, by, d: _set_date(case, by, "accepted_on"),
    workflow.Effect.OPEN_EVALUATION_DEADLINE: lambda case, by, d: deadline_open(
        kind=deadline_kinds.SIX_MONTH_EVALUATION, case=case, started_on=case.accepted_on
    ),
    workflow.Effect.RECORD_REDIRECT_TARGET: _record_redirect_target,
    workflow.Effect.MOVE_TO_OPEN_CASE: _move_to_open_case,
    workflow.Effect.SET_CLOSED: lambda case, by, d: _set_date(case, by, "closed_on"),
    workflow.Effect.LAPSE_DEADLINES: lambda case, by, d: deadlines_lapse_for_case(case=case),
    # The retention period runs from here; privacy.services.retention_apply meets it.
    workflow.Effect.OPEN_RETENTION_DEADLINE: lambda case, by, d: deadline_open(
        kind=deadline_kinds.RETENTION, case=case, started_on=case.closed_on
    ),
    workflow.Effect.NOTIFY_DECISION: lambda case, by, d: _on_commit(
        case_notifications.decision, case.pk
    ),
    workflow.Effect.REOPEN: _reopen,
    workflow.Effect.INVOLVE_ASKED_ORGANISATIONS: lambda case, by, d: _involve_asked(case, by),
    workflow.Effect.END_INVOLVEMENTS: lambda case, by, d: _end_all_involvements(
        case, by, _("The referral was redirected or attached to another case.")
    ),
}
assert set(_EFFECTS) == set(workflow.Effect), "every effect of the workflow table is performed"


# --- Referral ------------------------------------------------------------------------


@transaction.atomic
def referral_start(*, by: User, organisation: Organisation | None = None) -> Referral:
    """A new draft referral (and its draft case) for the user's organisation."""
    organisation = organisation or by.organisation
    if organisation is None:
        raise PermissionError("Only members of an organisation may refer")
    case = Case.objects.create(status=CaseStatus.DRAFT, created_by=by)
    return Referral.objects.create(
        case=case, organisation=organisation, referrer=by, contact_name=by.get_full_name()
    )


@transaction.atomic
def referral_update(
    *,
    referral: Referral,
    by: User,
    version: int,
    referral_data: dict[str, Any],
    case_data: dict[str, Any],
    persons: list[dict[str, Any]],
) -> Referral:
    """Save the referral form (draft or not). Persons are replaced by what the form holds."""
    _bump_version(Referral, referral.pk, version)
    referral.refresh_from_db()
    for name, value in referral_data.items():
        setattr(referral, name, value)
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save()
    case = referral.case
    for name, value in case_data.items():
        setattr(case, name, value)
    case.address_key = keys.address_key(
        case.postcode, case.house_number, case.house_number_addition
    )
    if case.district_id and (not case.network_id or case.status == CaseStatus.DRAFT):
        # While a draft, the network follows the district the referrer chose.
        case.network = case.district.networks.filter(is_active=True).first()
    elif case.status == CaseStatus.DRAFT:
        case.network = None
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    kept: list[int] = []
    for data in persons:
        pk = data.pop("id", None)
        person = case.persons.filter(pk=pk).first() if pk else None
        person = person or Person(case=case)
        for name, value in data.items():
            setattr(person, name, value)
        person.person_key = keys.person_key(
            person.first_name, person.last_name, person.date_of_birth
        )
        person._history_user = by  # type: ignore[attr-defined]
        person.save()
        kept.append(person.pk)
    if case.status == CaseStatus.DRAFT:
        case.persons.exclude(pk__in=kept).delete()
    return referral


@transaction.atomic
def recidivism_check(*, case: Case) -> list[RecidivismMatch]:
    """At submission: the earlier cases on the same person or address, closed within the
    window before the referral, with the same kind of nuisance. A person match counts at once;
    an address match alone waits for the coordinator (`recidivism_decide`)."""

    on_person = {c.pk for c in earlier_cases_for(case=case, on_person_only=True)}
    matches = [
        RecidivismMatch.objects.get_or_create(
            case=case, earlier=earlier, defaults={"on_person": earlier.pk in on_person}
        )[0]
        for earlier in earlier_cases_for(case=case, same_nuisance_only=True)
    ]
    _repeat_referral_sync(case)
    return matches


def _repeat_referral_sync(case: Case) -> None:
    """`is_repeat_referral` (what figures count) follows the matches that count."""
    is_repeat = (
        RecidivismMatch.objects.filter(case=case)
        .filter(Q(on_person=True) | Q(decision=RecidivismDecision.CONFIRMED))
        .exists()
    )
    if case.is_repeat_referral != is_repeat:
        case.is_repeat_referral = is_repeat
        case.save(update_fields=["is_repeat_referral", "updated_at"])


@transaction.atomic
def recidivism_decide(
    *, match: RecidivismMatch, confirmed: bool, reason: str, by: User
) -> RecidivismMatch:
    """The coordinator confirms (the same household) or rejects (another household now lives
    at the address) a possible repeat found on the address alone, with a reason."""
    if not access.may_coordinate(by):
        raise PermissionError("Only a coordinator confirms or rejects a possible repeat")
    match = RecidivismMatch.objects.select_for_update().select_related("case").get(pk=match.pk)
    _require_intake(match.case)
    if match.on_person:
        raise ValueError("A match on the same person counts as it is")
    if not reason.strip():
        raise ValueError("Confirming or rejecting a possible repeat needs a reason")
    match.decision = RecidivismDecision.CONFIRMED if confirmed else RecidivismDecision.REJECTED
    match.reason, match.decided_by, match.decided_on = reason, by, _today()
    match._history_user = by  # type: ignore[attr-defined]
    match.save()
    case = match.case
    case._history_user = by  # type: ignore[attr-defined]
    _repeat_referral_sync(case)
    return match


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
    if case.corporation_id is None:
        raise ValueError("The home is not owned by a corporation")
    # The case row is locked, so two clicks at once still make one open request (and the
    # database holds one open request per case: one_open_consent_request_per_case).
    case = Case.objects.select_for_update().get(pk=case.pk)
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
        corporation_id=case.corporation_id,
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


# --- Involvement ---------------------------------------------------------------------


@transaction.atomic
def involvement_add(*, case: Case, organisation: Organisation, by: User) -> CaseInvolvement:
    involvement, _created = CaseInvolvement.objects.get_or_create(
        case=case, organisation=organisation, is_active=True, defaults={"added_by": by}
    )
    access.sync_case_grants(case)
    return involvement


@transaction.atomic
def involvement_end(
    *, case: Case, organisation: Organisation | int, by: User | None, reason: str = ""
) -> bool:
    """End the organisation's active involvement in `case` with a reason (`by` None: the
    daily job). The one way involvement ends: the grants (guardian projection) follow in the
    same transaction. Returns whether there was an active involvement to end."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    ended = False
    # save() per row, not update(): the end of an involvement is kept in its history.
    for involvement in CaseInvolvement.objects.select_for_update().filter(
        case=case, organisation_id=organisation_id, is_active=True
    ):
        involvement.is_active, involvement.ended_by, involvement.ended_at = (
            False,
            by,
            timezone.now(),
        )
        involvement.end_reason = reason
        involvement._history_user = by  # type: ignore[attr-defined]
        involvement.save(update_fields=["is_active", "ended_by", "ended_at", "end_reason"])
        ended = True
    access.sync_case_grants(case)
    return ended


@transaction.atomic
def sensitive_share(*, case: Case, organisation: Organisation, by: User) -> SensitiveShare:
    """Share the referral's suspected backgrounds and description and the neighbours' contact
    details with an involved organisation (the case team; recorded with who and when)."""
    if not access.may_manage_involvement(by, case):
        raise PermissionError("Only the case team shares these details")
    if organisation.pk not in _involved_organisation_ids(case):
        raise ValueError("Share only with an organisation involved in the case")
    share, _created = SensitiveShare.objects.get_or_create(
        case=case, organisation=organisation, defaults={"shared_by": by}
    )
    return share


@transaction.atomic
def sensitive_unshare(*, case: Case, organisation: Organisation, by: User) -> None:
    """Take a share back: the details are for the case team again (kept in the history)."""
    if not access.may_manage_involvement(by, case):
        raise PermissionError("Only the case team shares these details")
    for share in SensitiveShare.objects.filter(case=case, organisation=organisation):
        share._history_user = by  # type: ignore[attr-defined]
        share.delete()


def _involve_asked(case: Case, by: User) -> None:
    """At acceptance: the corporation that consented and the police organisation(s) that
    recorded a screening become involved (before, they saw only the request)."""
    organisation_ids = set(
        case.consent_requests.filter(decision=ConsentDecision.CONSENT).values_list(
            "corporation_id", flat=True
        )
    ) | set(
        case.police_screenings.exclude(screened_by_organisation__isnull=True).values_list(
            "screened_by_organisation_id", flat=True
        )
    )
    for organisation in Organisation.objects.filter(pk__in=organisation_ids, is_active=True):
        involvement_add(case=case, organisation=organisation, by=by)


def _end_all_involvements(case: Case, by: User | None, reason: str) -> None:
    for organisation_id in _involved_organisation_ids(case):
        involvement_end(case=case, organisation=organisation_id, by=by, reason=reason)


def _aftercare_organisation_ids(case_ids: list[int], today: datetime.date) -> dict[int, set[int]]:
    """Case id → organisations that carry out aftercare on it: an open aftercare action
    assigned to them, while the aftercare end date has not passed (one query)."""
    rows = Action.objects.filter(
        case_id__in=case_ids,
        aftercare_plan__isnull=False,
        aftercare_plan__end_date__gte=today,
        status=ActionStatus.OPEN,
    ).values_list("case_id", "organisation_id")
    carrying: dict[int, set[int]] = {}
    for case_id, organisation_id in rows:
        carrying.setdefault(case_id, set()).add(organisation_id)
    return carrying


def involvements_due(today: datetime.date | None = None) -> list[tuple[int, int]]:
    """(case id, organisation id) of the active involvements whose need has ended: the case
    closed at least INVOLVEMENT_HANDOVER_DAYS ago, and the organisation carries out no
    aftercare on it (an open aftercare action before the aftercare end date)."""
    today = today or _today()
    cutoff = today - datetime.timedelta(days=settings.INVOLVEMENT_HANDOVER_DAYS)
    rows = list(
        CaseInvolvement.objects.filter(
            is_active=True,
            case__status__in=workflow.TERMINAL_STATUSES,
            case__closed_on__lte=cutoff,
        )
        .order_by("case_id", "organisation_id")
        .values_list("case_id", "organisation_id")
    )
    carrying = _aftercare_organisation_ids(sorted({case_id for case_id, _o in rows}), today)
    return [(c, o) for c, o in rows if o not in carrying.get(c, set())]


def end_due_involvements(today: datetime.date | None = None) -> int:
    """The daily job (cases/tasks.py): end every involvement whose need has ended, each case
    in its own transaction, through `involvement_end`. Safe to run twice. Returns the count."""
    ended = 0
    for case_id, organisation_id in involvements_due(today):
        case = Case.objects.get(pk=case_id)
        if involvement_end(
            case=case,
            organisation=organisation_id,
            by=None,
            reason=_("The handover period after closing has passed, or the aftercare ended."),
        ):
            ended += 1
    return ended


# --- Journal and documents -----------------------------------------------------------


def _involved_organisation_ids(case: Case) -> set[int]:
    return set(case.involvements.filter(is_active=True).values_list("organisation_id", flat=True))


def _check_contribution(
    *, case: Case, by: User, confidentiality: str, visible_to: list[Organisation]
) -> list[Organisation]:
    """Who may add, and the named organisations: only those involved, only when named."""

    if not access.may_contribute_to_case(by, case):
        raise PermissionError("May not add to this case")
    if confidentiality != Confidentiality.NAMED_ORGANISATIONS:
        return []
    if not visible_to:
        raise ValueError("Name at least one organisation")
    if {o.pk for o in visible_to} - _involved_organisation_ids(case):
        raise ValueError("Only involved organisations can be named")
    return visible_to


def _kind(user: User) -> str:
    return user.organisation.kind if user.organisation_id else ""


def _basis_fields(
    *,
    organisation_kind: str,
    lawful_basis: Any,
    data_category: str,
    consent_date: datetime.date | None,
    basis_motivation: str,
) -> dict[str, Any]:
    """The basis fields of a shared item, checked against the catalogue: an active basis that
    the author's organisation kind may use for this kind of data; consent needs its date (not
    in the future), a conflict of duties its motivation.

    Without a basis (`None`: only programmatic callers, never a form) the item is stored
    marked for the privacy officer's review, like the rows from before the catalogue."""

    category = DataCategory(data_category)
    if lawful_basis is None:
        return {
            "lawful_basis": None,
            "data_category": category,
            "consent_date": None,
            "basis_motivation": "",
            "basis_to_review": True,
        }
    if isinstance(lawful_basis, str):
        lawful_basis = LawfulBasis.objects.get(code=lawful_basis)
    if not lawful_basis.is_active:
        raise ValueError("This lawful basis is no longer in use")
    if not lawful_basis.fits(organisation_kind=organisation_kind, data_category=category):
        raise ValueError("This lawful basis does not fit the organisation or the kind of data")
    if not lawful_basis.requires_consent_date:
        consent_date = None
    elif consent_date is None:
        raise ValueError("Consent as lawful basis needs the date of consent")
    elif consent_date > _today():
        raise ValueError("The date of consent cannot be in the future")
    basis_motivation = basis_motivation.strip()
    if lawful_basis.requires_motivation and not basis_motivation:
        raise ValueError("This lawful basis needs a documented motivation")
    return {
        "lawful_basis": lawful_basis,
        "data_category": category,
        "consent_date": consent_date,
        "basis_motivation": basis_motivation,
        "basis_to_review": False,
    }


SHARED_ITEM_MODELS = {
    "journal": "JournalEntry",
    "document": "Document",
    "screening": "PoliceScreening",
}


@transaction.atomic
def shared_item_basis_review(
    *,
    item: Any,
    by: User,
    lawful_basis: Any,
    data_category: str,
    consent_date: datetime.date | None = None,
    basis_motivation: str = "",
) -> Any:
    """The privacy officer sets the real basis of an item marked for review (rows from
    before the catalogue): one the sharing organisation's kind may use for this kind of data.
    The change is in the item's history with the officer as author."""
    item = type(item).objects.select_for_update().get(pk=item.pk)
    organisation = item.sharing_organisation
    fields = _basis_fields(
        organisation_kind=organisation.kind if organisation is not None else "",
        lawful_basis=lawful_basis,
        data_category=data_category,
        consent_date=consent_date,
        basis_motivation=basis_motivation,
    )
    if fields["lawful_basis"] is None:
        raise ValueError("Choose a basis")
    for name, value in fields.items():
        setattr(item, name, value)
    item._history_user = by  # type: ignore[attr-defined]
    item.save(update_fields=[*fields])
    return item


@transaction.atomic
def lawful_basis_save(*, basis: Any, by: User) -> Any:
    """Create or change an entry of the catalogue (validated by its form); history keeps
    every version with the privacy officer as author."""
    basis._history_user = by
    basis.save()
    return basis


@transaction.atomic
def lawful_basis_set_active(*, basis: Any, active: bool, by: User) -> Any:
    """Deactivate (no longer offered; items that use it keep it) or reactivate an entry."""
    basis.is_active = active
    basis._history_user = by
    basis.save(update_fields=["is_active"])
    return basis


def _case_item_add(
    item: Any,
    *,
    by: User,
    author: str,
    confidentiality: str,
    visible_to: list[Organisation] | None,
    basis: dict[str, Any],
    before_save: Callable[[], None] | None = None,
) -> Any:
    """The one shape of what a contributor adds to a case (a journal entry, a document): the
    lawful basis checked, may-contribute and the named organisations checked, the author and
    the author's organisation recorded (`author` names the field), saved with its history,
    the named organisations set. `before_save` runs once every check has passed (a document
    stores its file there, so a refused upload leaves no file behind)."""
    named = _check_contribution(
        case=item.case, by=by, confidentiality=confidentiality, visible_to=list(visible_to or [])
    )
    item.confidentiality = confidentiality
    for name, value in basis.items():  # the checked basis fields (`_basis_fields`)
        setattr(item, name, value)
    setattr(item, author, by)
    setattr(item, f"{author}_organisation_id", by.organisation_id)
    if before_save is not None:
        before_save()
    item._history_user = by
    item.save()
    item.visible_to.set(named)
    return item


@transaction.atomic
def journal_entry_add(
    *,
    case: Case,
    by: User,
    kind: str,
    occurred_on: datetime.date,
    participants: str,
    text: str,
    confidentiality: str,
    visible_to: list[Organisation] | None = None,
    lawful_basis: Any = None,
    data_category: str = "ordinary",
    consent_date: datetime.date | None = None,
    basis_motivation: str = "",
) -> Any:

    if occurred_on > _today():
        raise ValueError("A journal entry cannot be dated in the future")
    entry = JournalEntry(
        case=case, kind=kind, occurred_on=occurred_on, participants=participants, text=text
    )
    return _case_item_add(
        entry,
        by=by,
        author="author",
        confidentiality=confidentiality,
        visible_to=visible_to,
        basis=_basis_fields(
            organisation_kind=_kind(by),
            lawful_basis=lawful_basis,
            data_category=data_category,
            consent_date=consent_date,
            basis_motivation=basis_motivation,
        ),
    )


@transaction.atomic
def document_add(
    *,
    case: Case,
    by: User,
    title: str,
    upload: Any,
    confidentiality: str,
    visible_to: list[Organisation] | None = None,
    lawful_basis: Any = None,
    data_category: str = "ordinary",
    consent_date: datetime.date | None = None,
    basis_motivation: str = "",
) -> Any:
    """Store an upload on the case (type checked on content; random file name on disk)."""

    original_name = documents.clean_original_name(upload.name or "")
    detected = documents.validate_upload(upload, original_name, upload.size)
    basis = _basis_fields(
        organisation_kind=_kind(by),
        lawful_basis=lawful_basis,
        data_category=data_category,
        consent_date=consent_date,
        basis_motivation=basis_motivation,
    )
    document = Document(
        case=case,
        title=title,
        original_name=documents.download_name(original_name, detected.extension),
        content_type=detected.content_type,
        size=upload.size,
    )
    return _case_item_add(
        document,
        by=by,
        author="uploaded_by",
        confidentiality=confidentiality,
        visible_to=visible_to,
        basis=basis,
        before_save=lambda: document.file.save(
            f"{uuid.uuid4().hex}.{detected.extension}", upload, save=False
        ),
    )


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
    screening._history_user = by  # type: ignore[attr-defined]
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


# --- Case details (case team corrections) --------------------------------------------

CASE_DETAIL_FIELDS = frozenset(
    {
        "postcode",
        "house_number",
        "house_number_addition",
        "street",
        "city",
        "district",
        "network",
        "housing_type",
        "corporation",
    }
)


@transaction.atomic
def case_details_update(*, case: Case, by: User, version: int, data: dict[str, Any]) -> Case:
    """Correct address and housing; StaleEdit when someone saved since `version` was loaded."""
    if not access.may_edit_case_details(by, case):
        raise PermissionError("Only the case team corrects case details")
    unknown = set(data) - CASE_DETAIL_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    _bump_version(Case, case.pk, version)
    case = Case.objects.select_for_update().get(pk=case.pk)
    for name, value in data.items():
        setattr(case, name, value)
    case.address_key = keys.address_key(
        case.postcode, case.house_number, case.house_number_addition
    )
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    return case


# --- Persons (corrections by the case team; rectification under AVG art. 16) ----------

PERSON_FIELDS = frozenset(
    {"first_name", "last_name", "date_of_birth", "phone", "notes", "consents_to_contact"}
)


@transaction.atomic
def person_update(*, person: Person, by: User, data: dict[str, Any]) -> Person:
    """Correct a person's details; the history keeps the old values, the keyed hash follows."""
    person = Person.objects.select_for_update().select_related("case").get(pk=person.pk)
    if not access.may_edit_case_details(by, person.case):
        raise PermissionError("Only the case team corrects persons")
    if person.erased_at is not None:
        raise ValueError("An erased person cannot be changed")
    unknown = set(data) - PERSON_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    if not (data.get("last_name", person.last_name) or "").strip():
        raise ValueError("A person needs a last name")
    for name, value in data.items():
        setattr(person, name, value)
    person.person_key = keys.person_key(person.first_name, person.last_name, person.date_of_birth)
    person._history_user = by  # type: ignore[attr-defined]
    person.save()
    return person
