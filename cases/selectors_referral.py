"""Reads for referrers: their drafts and "my referrals". Status only, never case content.

Who may follow which referral is `cases.access.referrals_of()`; this module adds the
joins and the one translation of a case's status into what a referrer sees.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from partners.models import User

from . import access
from .choices import CaseStatus, ReferralStatus
from .models import Case, Referral

_REFERRAL_STATUS: dict[str, ReferralStatus] = {
    CaseStatus.DRAFT: ReferralStatus.DRAFT,
    CaseStatus.REFERRED: ReferralStatus.RECEIVED,
    CaseStatus.INTAKE: ReferralStatus.IN_INTAKE,
    CaseStatus.REDIRECTED: ReferralStatus.REDIRECTED,
    # Everything after acceptance is, for the referrer, still "accepted".
    CaseStatus.ACCEPTED: ReferralStatus.ACCEPTED,
    CaseStatus.INVESTIGATION: ReferralStatus.ACCEPTED,
    CaseStatus.PLAN_AGREED: ReferralStatus.ACCEPTED,
    CaseStatus.EXECUTION: ReferralStatus.ACCEPTED,
    CaseStatus.FINAL_EVALUATION: ReferralStatus.ACCEPTED,
    CaseStatus.AFTERCARE: ReferralStatus.ACCEPTED,
    CaseStatus.PASSED_ON: ReferralStatus.ACCEPTED,
    CaseStatus.CLOSED: ReferralStatus.ACCEPTED,
}


def referral_status(case: Case) -> ReferralStatus:
    """What the referrer sees of `case`'s status. The one place this is decided.

    A referral attached to an open case shows that case's status (the attach service
    normally moves the referral itself; `merged_into` covers the attached case)."""
    if case.status == CaseStatus.ATTACHED and case.merged_into is not None:
        case = case.merged_into
    return _REFERRAL_STATUS.get(case.status, ReferralStatus.RECEIVED)


def my_referrals(*, user: User) -> QuerySet[Referral]:
    """'My referrals': drafts and submitted referrals, newest first, in one query."""
    return (
        access.referrals_of(user)
        .select_related("case", "case__merged_into")
        .order_by("-created_at", "-pk")
    )


def referral_get_for_referrer(*, user: User, pk: int) -> Referral:
    """A referral the user follows, or Http404 (outsiders never learn it exists)."""
    return get_object_or_404(
        access.referrals_of(user).select_related("case", "organisation", "case__merged_into"),
        pk=pk,
    )
