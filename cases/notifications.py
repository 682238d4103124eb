"""E-mails about cases. They hold the case number and a link behind sign-in, nothing more."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from partners.choices import Role
from partners.models import User

from .models import Case


def _link(case: Case) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("cases:detail", args=[case.pk])


def _send(recipients: list[str], subject: str, body: str) -> int:
    if not recipients:
        return 0
    return send_mail(subject, body, None, recipients)


def new_referral(case_pk: int) -> int:
    case = Case.objects.get(pk=case_pk)
    recipients = list(
        User.objects.filter(is_active=True, groups__name=Role.COORDINATOR.value).values_list(
            "email", flat=True
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New referral %(number)s") % {"number": case.number}
        body = _(
            "A new referral %(number)s has been received. Open it after signing in: %(link)s"
        ) % {
            "number": case.number,
            "link": _link(case),
        }
    return _send(recipients, subject, body)


def assignment(case_pk: int) -> int:
    case = Case.objects.select_related("casemanager").get(pk=case_pk)
    if case.casemanager is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case %(number)s assigned to you") % {"number": case.number}
        body = _("Case %(number)s has been assigned to you. Open it after signing in: %(link)s") % {
            "number": case.number,
            "link": _link(case),
        }
    return _send([case.casemanager.email], subject, body)


def _referrals_link() -> str:
    """Where a referrer follows their referrals after signing in (never the case content)."""
    from django.urls import NoReverseMatch

    try:
        path = reverse("cases:my_referrals")
    except NoReverseMatch:
        path = reverse("dashboard")
    return settings.SITE_URL.rstrip("/") + path


def decision_recipients(case: Case) -> list[str]:
    """Who hears of the decision: the referrers of the case; when none of them is active any
    more, the active referrers of the referring organisation(s). The organisation is always
    told."""
    emails = User.objects.filter(is_active=True, referrals__case=case).values_list(
        "email", flat=True
    )
    recipients = {email for email in emails if email}
    if not recipients:
        colleagues = User.objects.filter(
            is_active=True,
            groups__name=Role.REFERRER.value,
            organisation__referrals__case=case,
        ).values_list("email", flat=True)
        recipients = {email for email in colleagues if email}
    return sorted(recipients)


def decision(case_pk: int) -> int:
    """Tell the referring organisation that the intake decided: the case number and a link,
    nothing else. No names, no address, not even the outcome or its reason (the e-mail leaves
    the system; the status is behind sign-in in "my referrals")."""
    from .choices import CaseStatus

    case = Case.objects.get(pk=case_pk)
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.REDIRECTED):
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Decision on referral %(number)s") % {"number": case.number}
        body = _(
            "A decision has been taken on your referral %(number)s. "
            "See its status after signing in: %(link)s"
        ) % {"number": case.number, "link": _referrals_link()}
    return _send(decision_recipients(case), subject, body)
