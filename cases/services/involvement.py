"""Which organisations are involved in a case, and for how long (the need to know)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Organisation, User

from .. import access
from ..choices import (
    ConsentDecision,
)
from ..choices_plan import ActionStatus
from ..domain import workflow
from ..models import (
    Case,
    CaseInvolvement,
    SensitiveShare,
)
from ..models.plan import Action
from .common import _today

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


def _involved_organisation_ids(case: Case) -> set[int]:
    return set(case.involvements.filter(is_active=True).values_list("organisation_id", flat=True))
