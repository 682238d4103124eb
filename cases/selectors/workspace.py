"""Reads for the workspaces on the dashboard (issue 16): per block a count and the first few
items, in one query each whatever the number of cases (`Count(...) OVER ()` beside the
limited rows). Visibility comes from `cases.access`; nothing is filtered in Python."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.utils import timezone

from deadlines.domain.state import DeadlineState
from deadlines.models import OPEN as OPEN_DEADLINE
from deadlines.models import Deadline, state_expression
from partners.models import User

from .. import access
from ..choices import CaseStatus
from ..choices_plan import PlanStatus
from ..domain import workflow
from ..models import Case, CaseInvolvement, CaseStatusChange, ConsentRequest, Referral
from ..models.plan import Plan
from ..selectors_referral import latest_changed_first
from . import CONSENT, INTAKE, with_consent_deadline, with_intake_deadline
from .plan import my_actions, my_actions_rows

TOP = 5
NEWLY_INVOLVED_DAYS = 30
# From this many referrals on, "my referrals" narrows down before ordering (referrals_followed).
NARROW_FROM = 500


@dataclass
class Block:
    """One block of a workspace: how many there are, and the first `TOP` of them."""

    count: int = 0
    items: list[Any] = field(default_factory=list)


def block_of(
    rows: QuerySet[Any],
    *,
    top: int = TOP,
    load: Callable[[list[int]], QuerySet[Any]] | None = None,
) -> Block:
    """The count and the first `top` rows of `rows` (ordered by the caller), in one query.

    With `load`, as `page_of` does for a page: the count and the first ids from a narrow
    query, then `load(ids)` reads those rows with what they show (for a block whose rows
    join much: joined first, every matching row was read). A row deleted between the two
    queries is left out."""
    counted = rows.annotate(block_total=Window(Count("pk")))
    if load is None:
        items = list(counted[:top])
        return Block(count=items[0].block_total if items else 0, items=items)
    first = list(counted.values_list("pk", "block_total")[:top])
    loaded = load([pk for pk, _ in first]).in_bulk() if first else {}
    return Block(
        count=first[0][1] if first else 0, items=[loaded[pk] for pk, _ in first if pk in loaded]
    )


# --- The coordinator ------------------------------------------------------------------


def referrals_to_take(*, user: User, today: datetime.date | None = None) -> Block:
    """Referred cases waiting to be taken into handling, the earliest intake deadline first."""
    cases = with_intake_deadline(access.visible_cases(user), today=today).filter(
        status=CaseStatus.REFERRED
    )
    return block_of(cases.order_by(F(f"{INTAKE}_due_on").asc(nulls_last=True), "pk"))


def cases_without_casemanager(*, user: User) -> Block:
    """Open cases past intake that nobody manages yet, the oldest referral first."""
    cases = access.visible_cases(user).filter(
        casemanager__isnull=True,
        status__in=workflow.OPEN_STATUSES - workflow.INTAKE_STATUSES,
    )
    return block_of(cases.order_by("referred_on", "pk"))


def late_consent_requests(*, user: User, today: datetime.date | None = None) -> Block:
    """Unanswered consent requests to corporations whose deadline has passed, on the cases
    the user sees, the longest overdue first."""
    requests = (
        with_consent_deadline(
            ConsentRequest.objects.filter(access.sees_case(user), decision=""),
            today=today,
        )
        .filter(**{f"{CONSENT}_state": DeadlineState.OVERDUE.value})
        .select_related("case", "corporation")
    )
    return block_of(requests.order_by(f"{CONSENT}_due_on", "pk"))


def plans_to_agree(*, user: User) -> Block:
    """Draft plans of cases in investigation: to be agreed with the partners."""
    plans = Plan.objects.filter(
        status=PlanStatus.DRAFT,
        case__in=access.visible_cases(user).filter(status=CaseStatus.INVESTIGATION),
    ).select_related("case")
    return block_of(plans.order_by("created_at", "pk"))


# --- The casemanager ------------------------------------------------------------------


def my_cases(*, user: User, today: datetime.date | None = None) -> Block:
    """The open cases the user manages, each with its next open deadline (kind, due date,
    state); the most urgent first, so overdue deadlines lead."""
    today = today or timezone.localdate()
    following = Deadline.objects.filter(OPEN_DEADLINE, case=OuterRef("pk")).order_by("due_on", "pk")
    cases = (
        access.visible_cases(user)
        .filter(casemanager_id=user.pk, status__in=workflow.OPEN_STATUSES)
        .annotate(
            next_due_on=Subquery(following.values("due_on")[:1]),
            next_kind=Subquery(following.values("kind")[:1]),
            next_state=Subquery(
                following.annotate(state_now=state_expression(today)).values("state_now")[:1]
            ),
        )
    )
    return block_of(cases.order_by(F("next_due_on").asc(nulls_last=True), "pk"))


# --- The partner representative -------------------------------------------------------


def consent_requests_waiting(*, user: User, today: datetime.date | None = None) -> Block:
    """Consent requests waiting for the user's corporation, the earliest deadline first."""
    requests = with_consent_deadline(
        access.visible_consent_requests(user).filter(decision=""), today=today
    ).select_related("case")
    return block_of(requests.order_by(f"{CONSENT}_due_on", "pk"))


def screenings_waiting(*, user: User) -> Block:
    """Police screenings asked of the user's police organisation and not yet recorded."""
    screenings = (
        access.visible_screening_requests(user).filter(risk_level="").select_related("case")
    )
    return block_of(screenings.order_by("requested_on", "pk"))


def newly_involved_cases(*, user: User, now: datetime.datetime | None = None) -> Block:
    """Cases the user's organisation was involved in during the last NEWLY_INVOLVED_DAYS
    days and still is, the newest first (only cases the user sees)."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return Block()
    since = (now or timezone.now()) - datetime.timedelta(days=NEWLY_INVOLVED_DAYS)
    involvements = CaseInvolvement.objects.filter(
        access.sees_case(user),
        organisation_id=organisation_id,
        is_active=True,
        added_at__gte=since,
    ).select_related("case")
    return block_of(involvements.order_by("-added_at", "-pk"))


def open_actions(*, user: User) -> Block:
    """The open actions of the user's organisation (the "my actions" page), soonest due; the
    ids first (an organisation has thousands of open actions)."""
    return block_of(my_actions(user=user), load=my_actions_rows)


# --- The referrer ---------------------------------------------------------------------


def referrals_followed(*, user: User, narrow_from: int = NARROW_FROM) -> Block:
    """'My referrals' on the dashboard: the latest changed first.

    An organisation follows thousands of referrals (a corporation: 25,000 in the benchmark
    data), and the last change of each is a subquery (`with_referrer_view`). So the five are
    first narrowed down to the referrals that can be among them: those whose case (or the
    case it was attached to) had one of the latest status changes, read backwards along the
    index on the changes' time, and the five drafts saved last (a case is born a draft and
    leaves that status only through `case_transition`, which records the change, so a draft
    is exactly a case that never changed status); only those get the subqueries and the
    exact order. Six small queries whatever the number of referrals (docs/scale.md).

    The backwards read stops early only when the referrals are many (a quarter of all
    cases: after a few hundred changes); for an organisation with a few (fewer than
    `narrow_from`) it would read every change ever made, so those are ordered directly."""
    referrals = access.referrals_of(user)
    total = referrals.count()
    if total < narrow_from:
        return Block(count=total, items=_latest_changed(referrals))
    # Their cases, and the cases some of them were attached to (few: from the index on
    # `merged_into`).
    attached_to = Case.objects.filter(
        merged_into__isnull=False, pk__in=referrals.values("case_id")
    ).values("merged_into_id")
    followed = Q(Exists(referrals.filter(case_id=OuterRef("case_id")))) | Q(case_id__in=attached_to)
    # The cases of the latest status changes, newest first (a case changes status a handful
    # of times in its life, so ten rows for each referral shown hold five cases).
    latest_cases = list(
        CaseStatusChange.objects.filter(followed)
        .order_by("-at", "-pk")
        .values_list("case_id", flat=True)[: TOP * 10]
    )
    latest_drafts = list(
        referrals.filter(case__status=CaseStatus.DRAFT)
        .order_by("-updated_at", "-pk")
        .values_list("pk", flat=True)[:TOP]
    )
    attached = list(
        Case.objects.filter(merged_into_id__in=latest_cases).values_list("pk", flat=True)
    )
    # Their ids first (served by the indexes on the referral's case and id), then the rows
    # by id: asked in one query, PostgreSQL reads every referral of the organisation.
    candidates = list(
        referrals.filter(
            Q(case_id__in=latest_cases + attached) | Q(pk__in=latest_drafts)
        ).values_list("pk", flat=True)
    )
    return Block(count=total, items=_latest_changed(Referral.objects.filter(pk__in=candidates)))


def _latest_changed(referrals: QuerySet[Referral]) -> list[Referral]:
    return list(latest_changed_first(referrals)[:TOP])
