"""Every write on cases. Plain functions, keyword-only, the acting user as `by`.

Transitions go through `case_transition()`, which asks `domain/workflow.py`; grants go
through `privacy.access.sync_case_grants()`; tasks are queued on commit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines import kinds as deadline_kinds
from deadlines.services import (
    deadline_due_on,
    deadline_meet,
    deadline_open,
    deadlines_lapse_for_case,
)
from partners.choices import Role
from partners.models import Organisation, User
from privacy import access

from . import keys
from . import notifications as case_notifications
from .choices import CaseStatus, ConsentDecision, RedirectTarget
from .domain import workflow
from .models import (
    Case,
    CaseInvolvement,
    CaseNumberSequence,
    CaseStatusChange,
    ConsentRequest,
    Criterion,
    CriterionAssessment,
    Person,
    Referral,
)


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


def case_facts(*, case: Case, by: User) -> workflow.CaseFacts:
    """What the workflow guards need, in a handful of queries."""
    active_criteria = Criterion.objects.filter(is_active=True).count()
    assessments = list(
        case.criterion_assessments.filter(criterion__is_active=True).values_list(
            "is_met", flat=True
        )
    )
    needs_consent = case.corporation_id is not None
    consented = (
        case.consent_requests.filter(decision=ConsentDecision.CONSENT).exists()
        if needs_consent
        else False
    )
    return workflow.CaseFacts(
        status=CaseStatus(case.status),
        has_casemanager=case.casemanager_id is not None,
        criteria_complete=active_criteria > 0 and len(assessments) == active_criteria,
        criteria_all_met=bool(assessments) and all(assessments),
        criteria_override=case.criteria_override,
        needs_corporation_consent=needs_consent,
        corporation_consented=consented,
        has_agreed_plan=False,  # plans of approach arrive with the plan issue
        has_final_evaluation=False,  # evaluations arrive with the plan issue
        actor_roles=access.roles_of(by),
        actor_is_casemanager=case.casemanager_id == by.pk,
    )


@transaction.atomic
def case_transition(*, case: Case, to: CaseStatus, by: User, motivation: str = "") -> Case:
    """Move `case` to `to` when the workflow table allows it; record who, when and why."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    workflow.require_transition(case_facts(case=case, by=by), to)
    from_status = case.status
    case.status = to
    today = _today()
    update = ["status", "updated_at"]
    if to == CaseStatus.INTAKE:
        case.intake_started_on = today
        update.append("intake_started_on")
    elif to == CaseStatus.ACCEPTED:
        case.accepted_on = today
        update.append("accepted_on")
    elif to in (CaseStatus.CLOSED, CaseStatus.REDIRECTED, CaseStatus.ATTACHED):
        case.closed_on = today
        update.append("closed_on")
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=update)
    CaseStatusChange.objects.create(
        case=case, from_status=from_status, to_status=to, by=by, motivation=motivation
    )
    _sync_deadlines(case=case, to=to)
    return case


def _sync_deadlines(*, case: Case, to: CaseStatus) -> None:
    """The case's deadlines follow its status (rules of each kind: deadlines/kinds.py)."""
    if to in (CaseStatus.INTAKE, CaseStatus.REDIRECTED, CaseStatus.ATTACHED):
        # Taken into handling, or decided on directly: the intake deadline is met.
        deadline_meet(kind=deadline_kinds.INTAKE, case=case)
    if to == CaseStatus.ACCEPTED:
        deadline_open(
            kind=deadline_kinds.SIX_MONTH_EVALUATION, case=case, started_on=case.accepted_on
        )
    if to in workflow.TERMINAL_STATUSES:
        deadlines_lapse_for_case(case=case)
        # The retention period runs from here; privacy.services.retention_apply meets it.
        deadline_open(kind=deadline_kinds.RETENTION, case=case, started_on=case.closed_on)


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
def referral_submit(*, referral: Referral, by: User) -> Case:
    """Submit a draft: case number, intake deadline, recidivism flag, coordinator told."""
    case = Case.objects.select_for_update().get(pk=referral.case_id)
    today = _today()
    case.number = _next_case_number(today.year)
    case.referred_on = today
    # The due date comes from the deadlines registry (the one place); the case keeps a copy.
    case.intake_due_on = deadline_open(
        kind=deadline_kinds.INTAKE, case=case, started_on=today
    ).due_on
    case.is_repeat_referral = bool(recidivism_matches(case=case, same_nuisance_only=True))
    case._history_user = by  # type: ignore[attr-defined]
    case.save(
        update_fields=["number", "referred_on", "intake_due_on", "is_repeat_referral", "updated_at"]
    )
    # save(), not update(): the submission is part of the referral's history.
    referral = Referral.objects.get(pk=referral.pk)
    referral.submitted_at = timezone.now()
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save(update_fields=["submitted_at", "updated_at"])
    case = case_transition(case=case, to=CaseStatus.REFERRED, by=by)
    case_pk = case.pk
    transaction.on_commit(lambda: case_notifications.new_referral(case_pk), robust=True)
    return case


def recidivism_matches(*, case: Case, same_nuisance_only: bool = False) -> list[Case]:
    """Earlier cases on the same person or address, closed within the recidivism window."""
    from .selectors import earlier_cases_for

    return earlier_cases_for(case=case, same_nuisance_only=same_nuisance_only)


# --- Intake --------------------------------------------------------------------------


@transaction.atomic
def case_assign_casemanager(*, case: Case, casemanager: User, by: User) -> Case:
    if not access.may_coordinate(by):
        raise PermissionError("Only a coordinator assigns a casemanager")
    if not access.has_role(casemanager, Role.CASEMANAGER):
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
        raise PermissionError("Only a coordinator records an acute-escalation override")
    if override and not motivation.strip():
        raise ValueError("An override needs a motivation")
    case = Case.objects.select_for_update().get(pk=case.pk)
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
    # The case row is locked, so two clicks at once still make one open request.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.consent_requests.filter(decision="").exists():
        raise RequestStillOpenError(
            _(
                "The corporation has not answered the open consent request yet. "
                "A new request is possible once it has answered."
            )
        )
    today = _today()
    request = ConsentRequest.objects.create(
        case=case,
        corporation_id=case.corporation_id,
        requested_by=by,
        requested_on=today,
        due_on=deadline_due_on(kind=deadline_kinds.CORPORATION_CONSENT, started_on=today),
    )
    deadline_open(
        kind=deadline_kinds.CORPORATION_CONSENT,
        case=case,
        subject=request,
        organisation=case.corporation,
        started_on=today,
    )
    involvement_add(case=case, organisation=case.corporation, by=by)
    request_pk = request.pk
    transaction.on_commit(lambda: case_notifications.consent_requested(request_pk), robust=True)
    return request


@transaction.atomic
def consent_answer(
    *, request: ConsentRequest, decision: ConsentDecision, reason: str, by: User
) -> ConsentRequest:
    request = ConsentRequest.objects.select_for_update().get(pk=request.pk)
    if request.decision:
        raise ValueError("Already answered")
    if decision == ConsentDecision.REFUSAL and not reason.strip():
        raise ValueError("A refusal needs a reason")
    request.decision, request.reason = decision, reason
    request.answered_by, request.answered_on = by, _today()
    request._history_user = by  # type: ignore[attr-defined]
    request.save()
    deadline_meet(kind=deadline_kinds.CORPORATION_CONSENT, case=request.case, subject=request)
    return request


@transaction.atomic
def case_redirect(*, case: Case, target: RedirectTarget, reason: str, by: User) -> Case:
    case = case_transition(case=case, to=CaseStatus.REDIRECTED, by=by, motivation=reason)
    case.redirect_target = target
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["redirect_target", "updated_at"])  # a decision: kept in history
    return case


@transaction.atomic
def case_attach(*, case: Case, to: Case, by: User) -> Case:
    """Attach a duplicate referral to the open case `to`; this case ends as attached."""
    if to.pk == case.pk or to.status not in workflow.OPEN_STATUSES:
        raise ValueError("Attach only to another open case")
    case = case_transition(
        case=case,
        to=CaseStatus.ATTACHED,
        by=by,
        motivation=_("Attached to %(number)s") % {"number": to.number},
    )
    # Moves of personal data and the decision itself are written with history (not update()).
    from simple_history.utils import bulk_update_with_history

    referrals = list(Referral.objects.filter(case=case))
    persons = list(
        Person.objects.filter(case=case).exclude(
            person_key__in=to.persons.exclude(person_key="").values("person_key")
        )
    )
    for row in [*referrals, *persons]:
        row.case = to
    bulk_update_with_history(referrals, Referral, ["case"], default_user=by)
    bulk_update_with_history(persons, Person, ["case"], default_user=by)
    case.merged_into = to
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["merged_into", "updated_at"])
    return case


# --- Involvement ---------------------------------------------------------------------


@transaction.atomic
def involvement_add(*, case: Case, organisation: Organisation, by: User) -> CaseInvolvement:
    involvement, _created = CaseInvolvement.objects.get_or_create(
        case=case, organisation=organisation, is_active=True, defaults={"added_by": by}
    )
    access.sync_case_grants(case)
    return involvement


@transaction.atomic
def involvement_end(*, case: Case, organisation: Organisation, by: User) -> None:
    # save() per row, not update(): the end of an involvement is kept in its history.
    for involvement in CaseInvolvement.objects.select_for_update().filter(
        case=case, organisation=organisation, is_active=True
    ):
        involvement.is_active, involvement.ended_by, involvement.ended_at = (
            False,
            by,
            timezone.now(),
        )
        involvement._history_user = by  # type: ignore[attr-defined]
        involvement.save(update_fields=["is_active", "ended_by", "ended_at"])
    access.sync_case_grants(case)


def case_accept(*, case: Case, by: User, motivation: str = "") -> Case:
    return case_transition(case=case, to=CaseStatus.ACCEPTED, by=by, motivation=motivation)


# --- Journal and documents -----------------------------------------------------------


def _involved_organisation_ids(case: Case) -> set[int]:
    return set(case.involvements.filter(is_active=True).values_list("organisation_id", flat=True))


def _check_contribution(
    *, case: Case, by: User, confidentiality: str, visible_to: list[Organisation]
) -> list[Organisation]:
    """Who may add, and the named organisations: only those involved, only when named."""
    from .choices import Confidentiality

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
    from .choices import DataCategory
    from .models import LawfulBasis

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
    from .models import JournalEntry

    if occurred_on > _today():
        raise ValueError("A journal entry cannot be dated in the future")
    basis = _basis_fields(
        organisation_kind=_kind(by),
        lawful_basis=lawful_basis,
        data_category=data_category,
        consent_date=consent_date,
        basis_motivation=basis_motivation,
    )
    named = _check_contribution(
        case=case, by=by, confidentiality=confidentiality, visible_to=list(visible_to or [])
    )
    entry = JournalEntry(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        participants=participants,
        text=text,
        confidentiality=confidentiality,
        **basis,
        author=by,
        author_organisation_id=by.organisation_id,
    )
    entry._history_user = by  # type: ignore[attr-defined]
    entry.save()
    entry.visible_to.set(named)
    return entry


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
    import uuid

    from . import documents
    from .models import Document

    original_name = documents.clean_original_name(upload.name or "")
    detected = documents.validate_upload(upload, original_name, upload.size)
    basis = _basis_fields(
        organisation_kind=_kind(by),
        lawful_basis=lawful_basis,
        data_category=data_category,
        consent_date=consent_date,
        basis_motivation=basis_motivation,
    )
    named = _check_contribution(
        case=case, by=by, confidentiality=confidentiality, visible_to=list(visible_to or [])
    )
    document = Document(
        case=case,
        title=title,
        original_name=documents.download_name(original_name, detected.extension),
        content_type=detected.content_type,
        size=upload.size,
        confidentiality=confidentiality,
        **basis,
        uploaded_by=by,
        uploaded_by_organisation_id=by.organisation_id,
    )
    document.file.save(f"{uuid.uuid4().hex}.{detected.extension}", upload, save=False)
    document._history_user = by  # type: ignore[attr-defined]
    document.save()
    document.visible_to.set(named)
    return document


# --- Intake: KRIS, police screening, decision ----------------------------------------


@transaction.atomic
def kris_record(
    *,
    case: Case,
    by: User,
    result: str,
    trajectory_manager_name: str = "",
    trajectory_manager_organisation: str = "",
    target_group_outcome: str = "",
    referred_to_altrecht: bool = False,
) -> Any:
    """Record (or correct) the result of the KRIS check; only the fields of that result."""
    from .choices import KrisResult
    from .models import KrisCheck

    if not access.may_do_intake_checks(by, case):
        raise PermissionError("Only the case team records the KRIS check")
    result = KrisResult(result)
    if result == KrisResult.KNOWN:
        if not (trajectory_manager_name.strip() and trajectory_manager_organisation.strip()):
            raise ValueError("Known in KRIS needs the trajectory manager and organisation")
        target_group_outcome, referred_to_altrecht = "", False
    else:
        if not target_group_outcome.strip():
            raise ValueError("Unknown in KRIS needs the outcome of the target-group check")
        trajectory_manager_name = trajectory_manager_organisation = ""
    check = KrisCheck.objects.filter(case=case).first() or KrisCheck(case=case)
    check.result = result
    check.trajectory_manager_name = trajectory_manager_name
    check.trajectory_manager_organisation = trajectory_manager_organisation
    check.target_group_outcome = target_group_outcome
    check.referred_to_altrecht = referred_to_altrecht
    check.recorded_by = by
    check._history_user = by  # type: ignore[attr-defined]
    check.save()
    return check


@transaction.atomic
def screening_request(*, case: Case, by: User) -> Any:
    """Ask the police for a screening; the police organisation(s) get involved at once."""
    from partners.choices import OrganisationKind

    if not access.may_do_intake_checks(by, case):
        raise PermissionError("Only the case team asks a police screening")

    from .models import PoliceScreening

    # The case row is locked, so two clicks at once still make one open request.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.police_screenings.filter(risk_level="").exists():
        raise RequestStillOpenError(
            _(
                "The police have not recorded the open screening request yet. "
                "A new request is possible once they have."
            )
        )
    screening = PoliceScreening.objects.create(case=case, requested_by=by, requested_on=_today())
    for police in Organisation.objects.filter(kind=OrganisationKind.POLICE, is_active=True):
        involvement_add(case=case, organisation=police, by=by)
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
    from .choices import RiskLevel
    from .models import PoliceScreening

    screening = PoliceScreening.objects.select_for_update().get(pk=screening.pk)
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
def intake_accept(*, case: Case, by: User, motivation: str = "") -> Case:
    """Accept after intake (guards in the workflow table); the referrers are told."""
    case = case_accept(case=case, by=by, motivation=motivation)
    _queue_decision_notice(case)
    return case


@transaction.atomic
def intake_redirect(*, case: Case, target: RedirectTarget, reason: str, by: User) -> Case:
    """Redirect to another part of the pyramid with a reason; the referrers are told."""
    if not reason.strip():
        raise ValueError("A redirection needs a reason")
    case = case_redirect(case=case, target=target, reason=reason, by=by)
    _queue_decision_notice(case)
    return case


def _queue_decision_notice(case: Case) -> None:
    case_pk = case.pk
    transaction.on_commit(lambda: case_notifications.decision(case_pk), robust=True)


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
