"""Who is told what about a case. Each function picks the recipients and calls
`notifications.services.notify()`, which shows it in the application and e-mails it as each
user chose (immediately or in the daily digest). A notification holds the case number and a
link behind sign-in, nothing more. The services call these on commit; each is safe to call
twice (one notification per key and recipient).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from notifications.choices import Event
from notifications.services import notify
from partners.choices import OrganisationKind, Role
from partners.models import User

from .choices import CaseStatus
from .models import Case, ConsentRequest, PoliceScreening


def _active(role: Role) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=role.value)


def new_referral(case_pk: int) -> int:
    """The coordinators: a referral came in."""
    case = Case.objects.get(pk=case_pk)
    return notify(
        recipients=_active(Role.COORDINATOR).distinct(),
        event=Event.NEW_REFERRAL,
        key=f"case:{case.pk}:new_referral",
        case=case,
        url=reverse("cases:intake", args=[case.pk]),
    )


def assignment(case_pk: int) -> int:
    """The casemanager the case was assigned to (once per casemanager and case)."""
    case = Case.objects.select_related("casemanager").get(pk=case_pk)
    if case.casemanager is None:
        return 0
    return notify(
        recipients=[case.casemanager],
        event=Event.ASSIGNED,
        key=f"case:{case.pk}:assigned:{case.casemanager_id}",
        case=case,
        url=reverse("cases:detail", args=[case.pk]),
    )


def decision_recipients(case: Case) -> list[User]:
    """Who hears of the decision: the referrers of the case; when none of them is active any
    more, the active referrers of the referring organisation(s). The organisation is always
    told."""
    recipients = list(User.objects.filter(is_active=True, referrals__case=case).distinct())
    if not recipients:
        recipients = list(
            _active(Role.REFERRER).filter(organisation__referrals__case=case).distinct()
        )
    return recipients


def decision(case_pk: int) -> int:
    """Tell the referring organisation that the intake decided: the case number and a link to
    "my referrals", nothing else. Not even the outcome: the status is behind sign-in."""

    case = Case.objects.get(pk=case_pk)
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.REDIRECTED):
        return 0
    return notify(
        recipients=decision_recipients(case),
        event=Event.DECISION,
        key=f"case:{case.pk}:decision",
        case=case,
        url=reverse("cases:my_referrals"),
    )


def consent_requested(request_pk: int) -> int:
    """The representatives of the corporation whose consent is asked."""

    request = ConsentRequest.objects.select_related("case").get(pk=request_pk)
    return notify(
        recipients=_active(Role.PARTNER_REPRESENTATIVE)
        .filter(organisation_id=request.corporation_id)
        .distinct(),
        event=Event.CONSENT_REQUESTED,
        key=f"consent:{request.pk}:requested",
        case=request.case,
        url=reverse("cases:consent_answer", args=[request.pk]),
    )


def screening_requested(screening_pk: int) -> int:
    """The representatives of the police (every active police organisation)."""

    screening: Any = PoliceScreening.objects.select_related("case").get(pk=screening_pk)
    return notify(
        recipients=_active(Role.PARTNER_REPRESENTATIVE)
        .filter(organisation__kind=OrganisationKind.POLICE, organisation__is_active=True)
        .distinct(),
        event=Event.SCREENING_REQUESTED,
        key=f"screening:{screening.pk}:requested",
        case=screening.case,
        url=reverse("cases:screening_record", args=[screening.pk]),
    )
