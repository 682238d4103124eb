"""Reads for referrers: their drafts and "my referrals". Status, and the address they
entered themselves; never case content.

Who may follow which referral is `cases.access.referrals_of()`; this module adds the
joins and the one translation of a case's status into what a referrer sees.
"""

from __future__ import annotations

from django.db.models import CharField, DateTimeField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Now, NullIf, Trim
from django.shortcuts import get_object_or_404

from partners.models import User

from . import access
from .choices import CaseStatus
from .models import Case, CaseStatusChange, Referral


def referral_status(case: Case) -> CaseStatus:
    """What the referrer sees of `case`'s status. The one place this is decided: the status
    in the case team's own words (a closed case reads "Closed" for both, issue 16), nothing
    of the case's content.

    A referral attached to an open case shows that case's status (the attach service
    normally moves the referral itself; `merged_into` covers the attached case)."""
    if case.status == CaseStatus.ATTACHED and case.merged_into is not None:
        case = case.merged_into
    return CaseStatus(case.status)


def with_referrer_view(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals with what their referrer knows, computed in the same query:
    `entered_address`, the address as the referrer themselves last entered it (from the
    case's history rows written by the referrer, up to the submission: nothing the case
    team corrected later), and `last_change_at`, when its status last changed (the case it
    was attached to, for an attached referral; the draft's last save for a draft)."""
    history = Case.history.model.objects.filter(
        id=OuterRef("case_id"),
        history_user_id=OuterRef("referrer_id"),
        history_date__lte=Coalesce(OuterRef("submitted_at"), Now()),
    ).order_by("-history_date", "-history_id")
    address = history.annotate(
        line=NullIf(
            Trim(
                Concat(
                    "street",
                    Value(" "),
                    Cast("house_number", CharField()),
                    "house_number_addition",
                    output_field=CharField(),
                )
            ),
            Value(""),
        )
    ).values("line")[:1]
    changes = CaseStatusChange.objects.order_by("-at", "-pk").values("at")
    return referrals.annotate(
        entered_address=Subquery(address, output_field=CharField()),
        last_change_at=Coalesce(
            Subquery(changes.filter(case_id=OuterRef("case__merged_into_id"))[:1]),
            Subquery(changes.filter(case_id=OuterRef("case_id"))[:1]),
            F("updated_at"),
            output_field=DateTimeField(),
        ),
    )


def latest_changed_first(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """`referrals` as the referrer sees them (`with_referrer_view`), the latest change first."""
    return (
        with_referrer_view(referrals)
        .select_related("case", "case__merged_into")
        .order_by(F("last_change_at").desc(nulls_last=True), "-pk")
    )


def my_referrals(*, user: User) -> QuerySet[Referral]:
    """'My referrals': drafts and submitted referrals with the address the referrer entered
    and the date of the last change, the latest change first, in one query."""
    return latest_changed_first(access.referrals_of(user))


def referral_get_for_referrer(*, user: User, pk: int) -> Referral:
    """A referral the user follows, or Http404 (outsiders never learn it exists)."""
    return get_object_or_404(
        access.referrals_of(user).select_related("case", "organisation", "case__merged_into"),
        pk=pk,
    )
