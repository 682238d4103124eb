"""The privacy app's deadline kind, registered in the deadlines registry from
`PrivacyConfig.ready()`: a data-subject request is answered within one month of receipt,
extendable once by two months (AVG art. 12(3)); the extension is the occurrence's amount."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from deadlines.domain import DueRule, Unit
from deadlines.registry import Audience, DeadlineKind, register
from partners.choices import Role

DATA_SUBJECT_REQUEST = "data_subject_request"
ANSWER_MONTHS = 1
EXTENSION_MONTHS = 2

PRIVACY_OFFICERS = frozenset({Role.PRIVACY_OFFICER})

KIND = DeadlineKind(
    code=DATA_SUBJECT_REQUEST,
    label=_("Data-subject request (one month)"),
    starts=_("A data-subject request is received."),
    met_when=_("The request is decided: completed, refused, erased or restricted."),
    rule=DueRule(Unit.CALENDAR_MONTHS, ANSWER_MONTHS),
    soon_working_days=5,
    tell_before=Audience(roles=PRIVACY_OFFICERS),
    tell_overdue=Audience(roles=PRIVACY_OFFICERS),
    subject="privacy.DataSubjectRequest",
    subject_url="privacy_rights:request_detail",
)


def register_kinds() -> None:
    register(KIND)
