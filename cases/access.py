"""Who may see and do what on cases, and the one way a view loads a case object.

Views load every case object through an `access_*` function here. Each returns the object,
or raises Http404 (outside the need to know: existence does not leak) or PermissionDenied (a
section the user's role may not use on a case they do see), and writes the read-log row
with its basis itself. A refused case (Http404) is recorded as a refused access attempt.

    case = access.access_case(request, pk, section=access.Section.CASE_PAGE)

Views never call the read log or a `may_*` bool for the object they load; a `may_*` bool
still decides what a template offers.

Who may see a case has one source: the involvement (`CaseInvolvement`) is the domain record,
guardian's direct-foreign-key grants (`CaseGroupObjectPermission`) are its projection,
written only by `sync_case_grants` from the services that change involvement, in their
transaction. Every check reads the projection through `_organisation_grants`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.db.models.signals import post_migrate
from django.http import Http404, HttpRequest
from django.utils import timezone

from audit import readlog
from audit.readlog import Basis, ReadBasis, ReadWhat
from partners.access import AnyUser, has_role, may, organisation_group_name, roles_of
from partners.choices import OrganisationKind, Role
from partners.models import User

from .choices import CaseStatus, Confidentiality
from .domain import plan as plan_rules
from .models import (
    Action,
    Case,
    CaseGroupObjectPermission,
    ConsentRequest,
    Document,
    EmergencyAccess,
    JournalEntry,
    Person,
    PoliceScreening,
    RecidivismMatch,
    Referral,
)

CASE_CONTENT_PERMISSION = "view_case_content"
# Never in anyone's case list: a draft is the referrer's unsent text, an attached case lives
# on in the case it was attached to.
NEVER_LISTED = [CaseStatus.DRAFT, CaseStatus.ATTACHED]


# --- The projection of involvement: grants --------------------------------------------


_permission_ids: dict[str, int] = {}


def _case_content_permission_id() -> int:
    """The id of `cases.view_case_content`, looked up once per process (cleared when the
    database is migrated or flushed, which may renumber permissions)."""
    if "case_content" not in _permission_ids:
        _permission_ids["case_content"] = Permission.objects.values_list("pk", flat=True).get(
            content_type__app_label="cases", codename=CASE_CONTENT_PERMISSION
        )
    return _permission_ids["case_content"]


def _forget_permission_ids(**kwargs: object) -> None:
    _permission_ids.clear()


post_migrate.connect(_forget_permission_ids, dispatch_uid="cases.access.permission_ids")


def _organisation_group_id(user: User) -> int | None:
    """The id of the user's organisation group, from the groups `roles_of` already read
    (no query of its own)."""
    roles_of(user)
    return getattr(user, "_organisation_group_id", None)


def _organisation_grants(user: AnyUser) -> QuerySet[CaseGroupObjectPermission] | None:
    """The one read of the projection: the grants on cases held by the user's organisation
    (as a partner representative), filtered on ids looked up once; None without any.

    A future municipality scope (several controllers on one installation) is one more filter
    here and in `visible_cases`: `content_object__municipality_id=<the user's>`."""
    if not isinstance(user, User) or Role.PARTNER_REPRESENTATIVE not in roles_of(user):
        return None
    group_id = _organisation_group_id(user)
    if group_id is None:
        return None
    return CaseGroupObjectPermission.objects.filter(
        permission_id=_case_content_permission_id(), group_id=group_id
    )


def sync_case_grants(case: Case) -> None:
    """Make the grants on `case` match its active involvements: the only writer of the
    projection, called by the services that change involvement, in their transaction."""
    permission_id = _case_content_permission_id()
    wanted: set[int] = set()
    for organisation_id in case.involvements.filter(is_active=True).values_list(
        "organisation_id", flat=True
    ):
        group, _ = Group.objects.get_or_create(name=organisation_group_name(organisation_id))
        wanted.add(group.pk)
    grants = CaseGroupObjectPermission.objects.filter(
        content_object=case, permission_id=permission_id
    )
    granted = set(grants.values_list("group_id", flat=True))
    CaseGroupObjectPermission.objects.bulk_create(
        CaseGroupObjectPermission(content_object=case, permission_id=permission_id, group_id=pk)
        for pk in sorted(wanted - granted)
    )
    grants.filter(group_id__in=granted - wanted).delete()


def is_involved(user: AnyUser, case: Case) -> bool:
    """The user is a representative of an organisation involved in `case` (the projection)."""
    grants = _organisation_grants(user)
    return grants is not None and grants.filter(content_object=case).exists()


# --- Which cases --------------------------------------------------------------------


def is_case_team(user: AnyUser, case: Case) -> bool:
    """Coordinator, or the casemanager of this case: full access."""
    return has_role(user, Role.COORDINATOR) or (
        has_role(user, Role.CASEMANAGER) and case.casemanager_id == user.pk
    )


def may_request_emergency_access(user: AnyUser) -> bool:
    """'Break the glass' (privacy/emergency.py): only when the municipality switched it on
    (EMERGENCY_ACCESS_ENABLED), for casemanagers and partner representatives."""
    return bool(getattr(settings, "EMERGENCY_ACCESS_ENABLED", False)) and has_role(
        user, Role.CASEMANAGER, Role.PARTNER_REPRESENTATIVE
    )


def visible_cases(user: AnyUser) -> QuerySet[Case]:
    """Every case whose content `user` may see, as one query (no Python filtering).

    A future municipality scope is one more `.filter(municipality_id=...)` here, before
    the role conditions (and in `_organisation_grants` and `sees_case`)."""
    if not isinstance(user, User):
        return Case.objects.none()
    roles = roles_of(user)
    cases = Case.objects.exclude(status__in=NEVER_LISTED)
    if Role.COORDINATOR in roles:
        return cases
    condition = Q(pk__in=[])
    if Role.CASEMANAGER in roles:
        condition |= Q(casemanager_id=user.pk)
    grants = _organisation_grants(user)
    if grants is not None:
        condition |= Q(Exists(grants.filter(content_object=OuterRef("pk"))))
    if may_request_emergency_access(user):
        emergency = EmergencyAccess.objects.filter(
            user_id=user.pk, case=OuterRef("pk"), expires_at__gt=timezone.now()
        )
        condition |= Q(Exists(emergency))
    return cases.filter(condition)


def sees_case(user: AnyUser, *, through: str = "case") -> Q:
    """The rows of a table with a case foreign key (`through`) whose case `user` sees: the
    same cases as `visible_cases`, written on the case ids alone. A query over a big table
    (deadlines, actions, requests) then tests each row against a few small sets served by
    indexes (the organisation's grants, the user's own cases, the few never-listed cases)
    instead of joining or scanning every case (docs/scale.md)."""
    if not isinstance(user, User):
        return Q(pk__in=[])
    listed = ~Q(**{f"{through}__in": Case.objects.filter(status__in=NEVER_LISTED).values("pk")})
    roles = roles_of(user)
    if Role.COORDINATOR in roles:
        return Q(**{f"{through}__isnull": False}) & listed
    condition = Q(pk__in=[])
    if Role.CASEMANAGER in roles:
        managed = Case.objects.filter(casemanager_id=user.pk).values("pk")
        condition |= Q(**{f"{through}__in": managed})
    grants = _organisation_grants(user)
    if grants is not None:
        condition |= Q(**{f"{through}__in": grants.values("content_object_id")})
    if may_request_emergency_access(user):
        emergency = EmergencyAccess.objects.filter(user_id=user.pk, expires_at__gt=timezone.now())
        condition |= Q(**{f"{through}__in": emergency.values("case_id")})
    return condition & listed


def emergency_motivations(user: AnyUser, case_ids: Iterable[int]) -> dict[int, str]:
    """Case id → motivation of the user's active emergency grant that is their only way in
    (one query; empty unless emergency access is switched on for the user)."""
    if not isinstance(user, User) or not may_request_emergency_access(user):
        return {}
    grants = EmergencyAccess.objects.filter(
        user_id=user.pk, case_id__in=list(case_ids), expires_at__gt=timezone.now()
    )
    organisation_grants = _organisation_grants(user)
    if organisation_grants is not None:
        grants = grants.exclude(
            Exists(organisation_grants.filter(content_object=OuterRef("case_id")))
        )
    motivations: dict[int, str] = {}
    for case_id, motivation in grants.order_by("granted_at").values_list("case_id", "motivation"):
        motivations[case_id] = motivation  # the newest grant wins
    return motivations


def case_access_basis(
    user: AnyUser, case: Case, *, emergency: dict[int, str] | None = None
) -> Basis:
    """On what basis `user` sees `case` (for the read log). Call it only after the case came
    through `visible_cases`: it names the strongest reason among the user's roles, which are
    cached for the request, and reads nothing — except with emergency access switched on,
    where one query tells an emergency grant apart (a list passes `emergency` from
    `emergency_motivations`, one query for all its cases)."""
    roles = roles_of(user)
    if Role.COORDINATOR in roles:
        return Basis(ReadBasis.COORDINATOR)
    if Role.CASEMANAGER in roles and case.casemanager_id == user.pk:
        return Basis(ReadBasis.CASEMANAGER)
    if may_request_emergency_access(user):
        if emergency is None:
            emergency = emergency_motivations(user, [case.pk])
        if case.pk in emergency:
            return Basis(ReadBasis.EMERGENCY, emergency[case.pk])
    return Basis(ReadBasis.INVOLVED_ORGANISATION)


def log_case_list(request: HttpRequest, cases: Iterable[Case]) -> int:
    """One read-log row per case a list or search result showed, in one INSERT."""
    cases = list(cases)
    emergency = emergency_motivations(request.user, [case.pk for case in cases])
    return readlog.record_many(
        request,
        what=ReadWhat.CASE_LIST,
        cases=[
            (case.pk, case_access_basis(request.user, case, emergency=emergency)) for case in cases
        ],
    )


def log_referral_list(request: HttpRequest, referrals: Iterable[Referral]) -> int:
    """One read-log row (basis: referrer) per submitted referral whose address a referrer's
    list showed ("my referrals", the dashboard), in one INSERT. Drafts are the referrer's
    own unsent text: no case team has it yet."""
    shown = {
        r.case_id
        for r in referrals
        if r.submitted_at is not None and getattr(r, "entered_address", None)
    }
    return readlog.record_many(
        request,
        what=ReadWhat.CASE_LIST,
        cases=[(case_id, Basis(ReadBasis.REFERRER)) for case_id in sorted(shown)],
    )


# --- Rules on one case (bools: also for templates to decide what to offer) -------------


def may_manage_involvement(user: AnyUser, case: Case) -> bool:
    """Add or end an organisation's involvement: the casemanager of the case or a coordinator."""
    return is_case_team(user, case)


def may_contribute_to_case(user: AnyUser, case: Case) -> bool:
    """Add journal entries and documents: the case team, or a representative of an organisation
    actively involved in the case. Entries carry the author's organisation, so one is needed."""
    if getattr(user, "organisation_id", None) is None:
        return False
    return is_case_team(user, case) or is_involved(user, case)


def may_see_sensitive_details(user: AnyUser, case: Case) -> bool:
    """The referral's suspected backgrounds and description and the neighbours' contact
    details (privacy by default): the case team, and representatives of an organisation the
    casemanager shared them with (`SensitiveShare`) while it sees the case."""
    if is_case_team(user, case):
        return True
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None or not has_role(user, Role.PARTNER_REPRESENTATIVE):
        return False
    return case.sensitive_shares.filter(organisation_id=organisation_id).exists()


def may_see_full_address(user: AnyUser, case: Case) -> bool:
    """House number in lists: the case team only; involved partners see the street."""
    return is_case_team(user, case)


def may_edit_case_details(user: AnyUser, case: Case) -> bool:
    """Correct the address and housing of a case, and its persons: the case team."""
    return is_case_team(user, case)


def may_coordinate(user: AnyUser) -> bool:
    """The coordinator's rights on every case: intake list, taking into handling, assigning a
    casemanager, the acute-escalation override, attaching a duplicate."""
    return may(user, "cases.coordinate_cases")


def may_open_intake(user: AnyUser, case: Case) -> bool:
    """The intake page of a case: coordinators, and the casemanager assigned to it."""
    return is_case_team(user, case)


def may_assess_criteria(user: AnyUser, case: Case) -> bool:
    """The six criteria, met / not met with motivation: the coordinator or the case's
    casemanager. The override for acute escalation stays with the coordinator."""
    return is_case_team(user, case)


def may_do_intake_checks(user: AnyUser, case: Case) -> bool:
    """Ask the corporation's consent, ask a police screening, record the KRIS check."""
    return is_case_team(user, case)


def may_see_screening_detail(user: AnyUser, case: Case) -> bool:
    """Police screening detail: police, casemanager and coordinator only."""
    if is_case_team(user, case):
        return True
    organisation = getattr(user, "organisation", None)
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.POLICE
        and has_role(user, Role.PARTNER_REPRESENTATIVE)
    )


def is_corporation_representative(user: AnyUser) -> bool:
    """A representative of a housing corporation (decides its own material support, proposes
    a home for a relocation it was asked for)."""
    organisation = getattr(user, "organisation", None)
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.CORPORATION
        and has_role(user, Role.PARTNER_REPRESENTATIVE)
    )


def may_see_support(user: AnyUser, case: Case) -> bool:
    """Material support (wisselgeld) and relocation of a case: the case team sees all; a
    corporation's representatives only the requests and relocations addressed to their
    corporation (`cases.selectors.plan` filters). Other partners: not their business."""
    return is_case_team(user, case) or is_corporation_representative(user)


def is_police_representative(user: AnyUser) -> bool:
    organisation = getattr(user, "organisation", None)
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.POLICE
        and has_role(user, Role.PARTNER_REPRESENTATIVE)
    )


def may_see_eviction(user: AnyUser, case: Case) -> bool:
    """The eviction advice: the case team sees all; a representative the advices addressed
    to their corporation or on which their organisation was consulted
    (`selectors.plan.eviction_advices_for` filters)."""
    return is_case_team(user, case) or has_role(user, Role.PARTNER_REPRESENTATIVE)


def _police_on_case(user: AnyUser, case: Case) -> bool:
    return is_police_representative(user)


def _corporation_on_case(user: AnyUser, case: Case) -> bool:
    return is_corporation_representative(user)


def may_refer_on_behalf(user: AnyUser) -> bool:
    """A coordinator may fill in a referral for another organisation and pick it."""
    return has_role(user, Role.COORDINATOR) and may(user, "cases.refer_case")


# --- What of a case ------------------------------------------------------------------


def visible_persons(user: AnyUser, case: Case) -> QuerySet[Person]:
    """The persons of `case` the user may see: the case team sees all; others not the
    persons whose processing is restricted (AVG art. 18, privacy/services/requests.py)."""
    persons = case.persons.all()
    if is_case_team(user, case):
        return persons
    return persons.filter(is_restricted=False)


PERSON_ORDER = ("role", "last_name", "first_name")


def shown_persons(user: AnyUser, case: Case) -> list[Person]:
    """The persons of `case` the user may see, in page order (loaded once per case object)."""
    cached: list[Person] | None = getattr(case, "_shown_persons", None)
    if cached is None:
        cached = list(visible_persons(user, case).order_by(*PERSON_ORDER))
        case._shown_persons = cached  # type: ignore[attr-defined]
    return cached


def searchable_persons(user: AnyUser) -> Q:
    """A filter on persons for searching across cases: restricted persons only for the
    case team (every coordinator; a casemanager for their own cases)."""
    roles = roles_of(user)
    if Role.COORDINATOR in roles:
        return Q()
    if Role.CASEMANAGER in roles:
        return Q(is_restricted=False) | Q(case__casemanager_id=user.pk)
    return Q(is_restricted=False)


def _shared_with(user: AnyUser, case: Case, items: QuerySet[Any], *, own: str) -> QuerySet[Any]:
    """Journal entries and documents share one shape: the case team sees all; others what
    is shared with all involved, with their organisation by name, or their own (`own`)."""
    if is_case_team(user, case):
        return items
    organisation_id = getattr(user, "organisation_id", None)
    return items.filter(
        Q(confidentiality=Confidentiality.ALL_INVOLVED)
        | Q(confidentiality=Confidentiality.NAMED_ORGANISATIONS, visible_to=organisation_id)
        | Q(**{own: organisation_id})
    ).distinct()


def visible_journal_entries(user: AnyUser, case: Case) -> QuerySet[JournalEntry]:
    """The journal of `case` as far as `user` may read it (confidentiality levels)."""
    return _shared_with(user, case, case.journal_entries.all(), own="author_organisation")


def visible_documents(user: AnyUser, case: Case) -> QuerySet[Document]:
    return _shared_with(user, case, case.documents.all(), own="uploaded_by_organisation")


# --- Requests to partners, and referrals ------------------------------------------------


def may_use_request_inbox(user: AnyUser) -> bool:
    """Partner representatives answer consent and screening requests in their inbox."""
    return (
        has_role(user, Role.PARTNER_REPRESENTATIVE)
        and getattr(user, "organisation_id", None) is not None
    )


def may_assign_actions(user: AnyUser) -> bool:
    """Assign actions to a partner's people (the plan's and a meeting decision's action
    forms): coordinators and casemanagers, who then see the people of an organisation."""
    return has_role(user, Role.COORDINATOR, Role.CASEMANAGER)


def may_use_my_actions(user: AnyUser) -> bool:
    """ "My actions": a partner representative sees the actions of their organisation."""
    return may_use_request_inbox(user)


# A request shows the asked organisation the request (case number, street, nuisance forms,
# what is asked), not the case: while the intake is open, or later while the organisation is
# involved in the case (at acceptance, or by the case team).
_REQUEST_STATUSES = (CaseStatus.REFERRED, CaseStatus.INTAKE)


def _while_asked(user: AnyUser) -> Q:
    """Requests on cases in intake, or on cases the user's organisation is involved in: the
    case ids as a UNION of the two sets (each from its own index), so PostgreSQL reads the
    requests of those cases instead of checking every unanswered request ever made."""
    asked = Case.objects.filter(status__in=_REQUEST_STATUSES).values("pk")
    grants = _organisation_grants(user)
    if grants is not None:
        asked = asked.union(grants.values("content_object_id"))
    return Q(case_id__in=asked)


def visible_consent_requests(user: AnyUser) -> QuerySet[ConsentRequest]:
    """Consent requests addressed to the user's own corporation (its representatives),
    while the intake is open or the corporation is involved in the case."""
    if not isinstance(user, User) or not may_use_request_inbox(user):
        return ConsentRequest.objects.none()
    return ConsentRequest.objects.filter(_while_asked(user), corporation_id=user.organisation_id)


def visible_screening_requests(user: AnyUser) -> QuerySet[PoliceScreening]:
    """Police screenings, for representatives of a police organisation: while the intake is
    open (the request), or later while their organisation is involved in the case."""
    if (
        not isinstance(user, User)
        or user.organisation is None
        or user.organisation.kind != OrganisationKind.POLICE
        or not may_use_request_inbox(user)
    ):
        return PoliceScreening.objects.none()
    return PoliceScreening.objects.filter(_while_asked(user))


def referrals_of(user: AnyUser) -> QuerySet[Referral]:
    """The referrals `user` follows as a referrer: their organisation's, and those they made
    on another organisation's behalf (a coordinator). Their status only, never case content."""
    if not isinstance(user, User) or not may(user, "cases.refer_case"):
        return Referral.objects.none()
    condition = Q(referrer_id=user.pk)
    if user.organisation_id is not None:
        condition |= Q(organisation_id=user.organisation_id)
    return Referral.objects.filter(condition)


# --- Loading one object: access_* ---------------------------------------------------


class Refusal(enum.Enum):
    NOT_FOUND = "404"  # outside the need to know: the page does not exist for the user
    FORBIDDEN = "403"  # sees the case, but the role may not use this section


@dataclass(frozen=True)
class _Rule:
    may: Callable[[AnyUser, Case], bool] | None  # None: everyone who sees the case
    refusal: Refusal
    what: ReadWhat | None  # the read-log row written on access; None: the view shows no data
    persons: bool = False  # the row names the persons the user may see


def _coordinator(user: AnyUser, case: Case) -> bool:
    return may_coordinate(user)


def may_write_plan(user: AnyUser, case: Case) -> bool:
    """Investigation, plan versions, goals, actions, evaluations, aftercare, relocation
    advice and material-support requests: the case team (coordinator, the casemanager)."""
    return is_case_team(user, case)


def may_agree_plan(user: AnyUser, case: Case) -> bool:
    """Record the agreement of one's organisation: a representative of an organisation
    actively involved in the case (read from the grants, as every check is)."""
    return is_involved(user, case)


class Section(enum.Enum):
    """What a view shows or does with a case. The rule of each is in `_RULES` below."""

    CASE_PAGE = "case_page"  # the case page: everyone who sees the case
    TRANSITION = "transition"  # a status step from the case page: the workflow table decides
    HISTORY = "history"  # the change history
    SCREENING_RESULT = "screening_result"  # the police screening result (detail: a may_*)
    EDIT_DETAILS = "edit_details"  # address, housing and persons: the case team (else 403)
    MANAGE_INVOLVEMENT = "manage_involvement"  # add or end an organisation: the case team
    CONTRIBUTE = "contribute"  # add a journal entry or a document: team or involved partner
    JOURNAL_ENTRY = "journal_entry"  # one journal entry (use `access_journal_entry`)
    DOCUMENT = "document"  # one document (use `access_document`)
    INTAKE = "intake"  # the intake page: the case team only (404 for everyone else)
    INTAKE_DECISION = "intake_decision"  # accept or redirect: the workflow table decides
    INTAKE_COORDINATE = "intake_coordinate"  # take, assign, override, attach: coordinators
    INTAKE_CRITERIA = "intake_criteria"  # assess the criteria
    INTAKE_CHECKS = "intake_checks"  # consent, screening and KRIS requests
    PLAN = "plan"  # the plan of approach, its versions and life domains: everyone who sees it
    PLAN_WRITE = "plan_write"  # draft, goals, actions, scores, mark agreed: the case team
    PLAN_AGREE = "plan_agree"  # record one's organisation's agreement: involved representatives
    PLAN_PDF = "plan_pdf"  # the plan as PDF for the household: the case team (logged as PDF)
    # --- Issue 12 after the plan: investigation, evaluations, aftercare, support (wave 2) ---
    INVESTIGATION = "investigation"  # the investigation: the case team (403 for partners)
    EVALUATIONS = "evaluations"  # evaluations and the outcome: everyone who sees the case
    EVALUATION_RECORD = "evaluation_record"  # record an (final) evaluation: the case team
    AFTERCARE = "aftercare"  # the aftercare plan and handover: everyone who sees the case
    AFTERCARE_RECORD = "aftercare_record"  # write the aftercare plan, its actions: case team
    SUPPORT = "support"  # material support and relocation: team; corporations their own
    SUPPORT_REQUEST = "support_request"  # request support, advise relocation: the case team
    SUPPORT_CORPORATION = "support_corporation"  # decide, propose: the corporation's reps
    SUPPORT_PERMIT = "support_permit"  # note the housing permit: team or the corporation
    EVICTION = "eviction"  # the eviction advice: team; representatives their own (filtered)
    EVICTION_ADVISE = "eviction_advise"  # give the eviction advice: the case team
    EVICTION_REPORT = "eviction_report"  # share the police situation report: the police


_RULES: dict[Section, _Rule] = {
    Section.CASE_PAGE: _Rule(None, Refusal.NOT_FOUND, ReadWhat.CASE_PAGE, persons=True),
    Section.TRANSITION: _Rule(None, Refusal.NOT_FOUND, None),
    Section.HISTORY: _Rule(None, Refusal.NOT_FOUND, ReadWhat.HISTORY, persons=True),
    Section.SCREENING_RESULT: _Rule(None, Refusal.NOT_FOUND, ReadWhat.SCREENING),
    Section.EDIT_DETAILS: _Rule(may_edit_case_details, Refusal.FORBIDDEN, ReadWhat.EDIT_FORM),
    Section.MANAGE_INVOLVEMENT: _Rule(may_manage_involvement, Refusal.FORBIDDEN, None),
    Section.CONTRIBUTE: _Rule(may_contribute_to_case, Refusal.FORBIDDEN, None),
    Section.JOURNAL_ENTRY: _Rule(None, Refusal.NOT_FOUND, ReadWhat.JOURNAL_ENTRY),
    Section.DOCUMENT: _Rule(None, Refusal.NOT_FOUND, ReadWhat.DOCUMENT),
    Section.INTAKE: _Rule(may_open_intake, Refusal.NOT_FOUND, ReadWhat.INTAKE),
    Section.INTAKE_DECISION: _Rule(may_open_intake, Refusal.NOT_FOUND, None),
    Section.INTAKE_COORDINATE: _Rule(_coordinator, Refusal.FORBIDDEN, None),
    Section.INTAKE_CRITERIA: _Rule(may_assess_criteria, Refusal.FORBIDDEN, None),
    Section.INTAKE_CHECKS: _Rule(may_do_intake_checks, Refusal.FORBIDDEN, None),
    Section.PLAN: _Rule(None, Refusal.NOT_FOUND, ReadWhat.PLAN),
    Section.PLAN_WRITE: _Rule(may_write_plan, Refusal.FORBIDDEN, None),
    Section.PLAN_AGREE: _Rule(may_agree_plan, Refusal.FORBIDDEN, None),
    Section.PLAN_PDF: _Rule(may_write_plan, Refusal.FORBIDDEN, ReadWhat.PDF),
    # --- Issue 12 after the plan (wave 2) ---
    Section.INVESTIGATION: _Rule(is_case_team, Refusal.FORBIDDEN, ReadWhat.INVESTIGATION),
    Section.EVALUATIONS: _Rule(None, Refusal.NOT_FOUND, ReadWhat.EVALUATIONS),
    Section.EVALUATION_RECORD: _Rule(is_case_team, Refusal.FORBIDDEN, ReadWhat.EVALUATIONS),
    Section.AFTERCARE: _Rule(None, Refusal.NOT_FOUND, ReadWhat.AFTERCARE),
    Section.AFTERCARE_RECORD: _Rule(is_case_team, Refusal.FORBIDDEN, None),
    Section.SUPPORT: _Rule(may_see_support, Refusal.FORBIDDEN, ReadWhat.SUPPORT),
    Section.SUPPORT_REQUEST: _Rule(is_case_team, Refusal.FORBIDDEN, None),
    Section.SUPPORT_CORPORATION: _Rule(_corporation_on_case, Refusal.FORBIDDEN, None),
    Section.SUPPORT_PERMIT: _Rule(may_see_support, Refusal.FORBIDDEN, None),
    Section.EVICTION: _Rule(may_see_eviction, Refusal.FORBIDDEN, ReadWhat.EVICTION),
    Section.EVICTION_ADVISE: _Rule(is_case_team, Refusal.FORBIDDEN, None),
    # The form shows the advice's date and corporation, no personal data: no read-log row
    # (a 404 for an advice the police were not consulted on then writes nothing else).
    Section.EVICTION_REPORT: _Rule(_police_on_case, Refusal.FORBIDDEN, None),
}
# Intake actions: outside the case team 404 first (as the intake page), then the section.
_INTAKE_ACTIONS = {Section.INTAKE_COORDINATE, Section.INTAKE_CRITERIA, Section.INTAKE_CHECKS}


def _refuse(request: HttpRequest, case_id: int) -> Http404:
    """Record the refused attempt (who, when, which case id) and give the 404 to raise."""
    readlog.refused(request, case_id=case_id)
    return Http404()


def _load_case(request: HttpRequest, pk: int, section: Section) -> Case:
    """The case through `visible_cases` and the section's rule; raises (and records)."""
    user = request.user
    rule = _RULES[section]
    cases = visible_cases(user).select_related("network", "district", "casemanager", "corporation")
    if rule.persons:
        # The ids of the persons the user may see, for the read-log row: in the same query.
        persons = Person.objects.filter(searchable_persons(user), case=OuterRef("pk"))
        cases = cases.annotate(shown_person_ids=ArraySubquery(persons.order_by("pk").values("pk")))
    case = cases.filter(pk=pk).first()
    if case is None:
        raise _refuse(request, pk)
    if section in _INTAKE_ACTIONS and not may_open_intake(user, case):
        raise _refuse(request, pk)
    if rule.may is not None and not rule.may(user, case):
        if rule.refusal is Refusal.NOT_FOUND:
            raise _refuse(request, pk)
        raise PermissionDenied
    return case


def access_case(request: HttpRequest, pk: int, *, section: Section) -> Case:
    """The case for this user and section; Http404 outside the need to know (recorded as a
    refused access attempt), PermissionDenied for a section the role may not use. Writes the
    read-log row of the section with its basis (and the persons the user may see, for the
    sections that show them)."""
    if section in (Section.JOURNAL_ENTRY, Section.DOCUMENT):
        raise ValueError(f"{section}: load the item with access_journal_entry/access_document")
    case = _load_case(request, pk, section)
    rule = _RULES[section]
    if rule.what is not None:
        person_ids: list[int] = getattr(case, "shown_person_ids", [])
        readlog.record(
            request,
            what=rule.what,
            basis=case_access_basis(request.user, case),
            case_id=case.pk,
            person_ids=person_ids,
        )
    return case


def _access_item[T: (JournalEntry, Document)](
    request: HttpRequest, case: Case, item_pk: int, *, section: Section, items: QuerySet[T]
) -> T:
    """An item of `case` among those the user may see; Http404 (recorded) otherwise."""
    item = items.filter(case=case, pk=item_pk).first()
    if item is None:
        raise _refuse(request, case.pk)
    what = _RULES[section].what
    assert what is not None  # noqa: S101 - the item sections all name their read
    readlog.record(
        request,
        what=what,
        basis=case_access_basis(request.user, case),
        case_id=case.pk,
        object_id=item.pk,
    )
    item.case = case
    return item


def access_action(
    request: HttpRequest, action_pk: int, *, to_finish: bool = False, to_cancel: bool = False
) -> Action:
    """An action on a case the user may see (its case as `action.case`); Http404 otherwise
    (recorded as a refused attempt when the action exists). `to_finish`: PermissionDenied
    unless the user may mark it done (`may_finish_action`); `to_cancel`: unless the user may
    cancel it (`may_cancel_action`: the case team). The services check these too."""
    action = (
        Action.objects.filter(pk=action_pk, case__in=visible_cases(request.user))
        .select_related("case", "organisation", "goal", "assignee", "life_domain")
        .first()
    )
    if action is None:
        case_id = Action.objects.filter(pk=action_pk).values_list("case_id", flat=True).first()
        if case_id is not None:
            readlog.refused(request, case_id=case_id)
        raise Http404
    if to_finish and not may_finish_action(request.user, action):
        raise PermissionDenied
    if to_cancel and not may_cancel_action(request.user, action):
        raise PermissionDenied
    return action


def access_case_item[T: Model](request: HttpRequest, case: Case, items: QuerySet[T], pk: int) -> T:
    """Object `pk` among `items` (the caller limits them to this case and to what the user
    may see); Http404 otherwise, recorded as a refused attempt on the case like any 404 on a
    case's URL."""
    item = items.filter(pk=pk).first()
    if item is None:
        raise _refuse(request, case.pk)
    return item


def access_journal_entry(request: HttpRequest, pk: int, entry_pk: int) -> JournalEntry:
    """Journal entry `entry_pk` of case `pk` (its case loaded as `entry.case`): Http404 when
    the user may not see the case or this entry (confidentiality level). Logs the read."""
    case = _load_case(request, pk, Section.JOURNAL_ENTRY)
    entries = visible_journal_entries(request.user, case).select_related(
        "author", "author_organisation"
    )
    return _access_item(request, case, entry_pk, section=Section.JOURNAL_ENTRY, items=entries)


def access_document(request: HttpRequest, pk: int, document_pk: int) -> Document:
    """Document `document_pk` of case `pk` (its case as `document.case`): Http404 when the
    user may not see the case or this document. Logs the download."""
    case = _load_case(request, pk, Section.DOCUMENT)
    documents = visible_documents(request.user, case)
    return _access_item(request, case, document_pk, section=Section.DOCUMENT, items=documents)


def access_recidivism_match(request: HttpRequest, pk: int, match_pk: int) -> RecidivismMatch:
    """A possible repeat referral of case `pk` on the address alone, for the coordinator to
    confirm or reject (403 for the rest of the case team, 404 for outsiders and for a match
    that is not this case's address match)."""
    case = access_case(request, pk, section=Section.INTAKE_COORDINATE)
    match = case.recidivism_matches.filter(pk=match_pk, on_person=False).first()
    if match is None:
        raise _refuse(request, pk)
    return match


def access_person(request: HttpRequest, pk: int, person_pk: int) -> Person:
    """A person of case `pk` to correct (the case team; 403 for others who see the case,
    404 for outsiders and erased persons). Logs the edit form with the person."""
    case = _load_case(request, pk, Section.EDIT_DETAILS)
    person = case.persons.filter(pk=person_pk, erased_at__isnull=True).first()
    if person is None:
        raise _refuse(request, pk)
    readlog.record(
        request,
        what=ReadWhat.EDIT_FORM,
        basis=case_access_basis(request.user, case),
        case_id=case.pk,
        person_ids=[person.pk],
        object_id=person.pk,
    )
    person.case = case
    return person


def access_consent_request(request: HttpRequest, pk: int) -> ConsentRequest:
    """A consent request addressed to the user's corporation (Http404 otherwise). The
    corporation sees the request, not the case: logged with basis "asked for consent"."""
    consent = visible_consent_requests(request.user).select_related("case").filter(pk=pk).first()
    if consent is None:
        raise Http404
    readlog.record(
        request,
        what=ReadWhat.INTAKE,
        basis=Basis(ReadBasis.CONSENT_CORPORATION),
        case_id=consent.case_id,
        object_id=consent.pk,
    )
    return consent


def access_screening(request: HttpRequest, pk: int) -> PoliceScreening:
    """A police screening asked of the user's police organisation (Http404 otherwise).
    Logged with basis "police asked for a screening"."""
    screening = (
        visible_screening_requests(request.user).select_related("case").filter(pk=pk).first()
    )
    if screening is None:
        raise Http404
    readlog.record(
        request,
        what=ReadWhat.SCREENING,
        basis=Basis(ReadBasis.SCREENING_POLICE),
        case_id=screening.case_id,
        object_id=screening.pk,
    )
    return screening


def access_referral(request: HttpRequest, pk: int) -> Referral:
    """A referral the user follows as its referrer (Http404 otherwise). Logged with basis
    "referrer of the case"."""
    referral = (
        referrals_of(request.user)
        .select_related("case", "organisation", "case__merged_into")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    readlog.record(
        request,
        what=ReadWhat.REFERRAL,
        basis=Basis(ReadBasis.REFERRER),
        case_id=referral.case_id,
        object_id=referral.pk,
    )
    return referral


# --- The plan's objects: actions, the corporation's decisions, the police report --------
#
# What a user may do with an action or a decision of the plan (the services check these
# before every write; the views use them to offer buttons).


def is_representative_of(user: Any, organisation_id: int | None) -> bool:
    """An active partner representative of that organisation."""
    return (
        organisation_id is not None
        and getattr(user, "organisation_id", None) == organisation_id
        and has_role(user, Role.PARTNER_REPRESENTATIVE)
    )


def may_finish_action(user: Any, action: Any) -> bool:
    """Mark an action done: its organisation's representatives, or the case team."""
    return plan_rules.may_finish_action(
        actor_organisation_id=getattr(user, "organisation_id", None),
        action_organisation_id=action.organisation_id,
        is_case_team=is_case_team(user, action.case),
        is_representative=has_role(user, Role.PARTNER_REPRESENTATIVE),
    )


def may_cancel_action(user: Any, action: Any) -> bool:
    """Cancelling (with a reason) changes the plan: the case team only."""
    return is_case_team(user, action.case)


def may_decide_material_support(user: Any, support: Any) -> bool:
    """The paying corporation decides: its representatives."""
    return is_representative_of(user, support.corporation_id)


def may_propose_relocation(user: Any, relocation: Any) -> bool:
    """The corporation proposes a home: its representatives."""
    return is_representative_of(user, relocation.corporation_id)


def may_note_housing_permit(user: Any, relocation: Any) -> bool:
    return is_case_team(user, relocation.case) or is_representative_of(
        user, relocation.corporation_id
    )


def may_share_situation_report(user: Any, advice: Any) -> bool:
    """The police share their situation report (their own decision, under the Wpg): a
    police representative of the officer's organisation or of a consulted one."""
    if not is_police_representative(user):
        return False
    officer = advice.neighbourhood_officer
    if officer is not None and officer.organisation_id == user.organisation_id:
        return True
    return any(o.pk == user.organisation_id for o in advice.consulted.all())
