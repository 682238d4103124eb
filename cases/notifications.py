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


def decision(case_pk: int) -> int:
    """Tell the referrers the intake decision: case number, decision and a link. No names,
    no address, no reasons (the e-mail leaves the system; the details stay behind sign-in)."""
    from .choices import CaseStatus

    case = Case.objects.get(pk=case_pk)
    recipients = sorted(
        {
            email
            for email in User.objects.filter(is_active=True, referrals__case=case).values_list(
                "email", flat=True
            )
            if email
        }
    )
    with translation.override(settings.LANGUAGE_CODE):
        if case.status == CaseStatus.ACCEPTED:
            outcome = _("accepted for the approach of extreme housing nuisance")
        elif case.status == CaseStatus.REDIRECTED:
            outcome = _("redirected to %(target)s") % {"target": case.get_redirect_target_display()}
        else:
            return 0
        subject = _("Decision on referral %(number)s") % {"number": case.number}
        body = _(
            "Your referral %(number)s has been %(outcome)s. "
            "See the status of your referrals after signing in: %(link)s"
        ) % {"number": case.number, "outcome": outcome, "link": _referrals_link()}
    return _send(recipients, subject, body)
