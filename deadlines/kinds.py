"""The built-in deadline kinds (DOMAIN.md §8), registered from `DeadlinesConfig.ready()`.

The numbers are the Utrecht covenant's. Those an installation may change are read from
settings when a deadline opens (INTAKE_WORKING_DAYS, CONSENT_WORKING_DAYS,
RETENTION_YEARS_AFTER_CLOSING, RETENTION_REDIRECTED_DAYS); those that differ per plan, meeting or covenant are passed
by the caller as the occurrence's amount.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from partners.choices import Role

from .domain import Direction, DueRule, Unit
from .registry import Audience, DeadlineKind, register

COORDINATORS = frozenset({Role.COORDINATOR})

INTAKE = "intake"
CORPORATION_CONSENT = "corporation_consent"
PERIODIC_EVALUATION = "periodic_evaluation"
SIX_MONTH_EVALUATION = "six_month_evaluation"
ACTION = "action"
MEETING_AGENDA = "meeting_agenda"
COVENANT_RENEWAL_NOTICE = "covenant_renewal_notice"
RETENTION = "retention"
# The retention variant of a referral redirected at intake (DOMAIN.md §7: a shorter period
# of its own); cases.domain.workflow.retention_variant says which case has it.
RETENTION_REDIRECTED = "redirected"

BUILTIN = (
    DeadlineKind(
        code=INTAKE,
        label=_("Take into handling"),
        starts=_("The referral is received (submitted)."),
        met_when=_("The coordinator takes the case into handling, or redirects it."),
        rule=DueRule(Unit.WORKING_DAYS, 5, amount_setting="INTAKE_WORKING_DAYS"),
        soon_working_days=1,
        tell_before=Audience(roles=COORDINATORS),
        tell_overdue=Audience(roles=COORDINATORS),
        subject="cases.Case",
    ),
    DeadlineKind(
        code=CORPORATION_CONSENT,
        label=_("Corporation consent"),
        starts=_("The housing corporation's consent is requested."),
        met_when=_("The corporation answers (consent or refusal)."),
        rule=DueRule(Unit.WORKING_DAYS, 3, amount_setting="CONSENT_WORKING_DAYS"),
        soon_working_days=1,
        tell_before=Audience(organisation_roles=frozenset({Role.PARTNER_REPRESENTATIVE})),
        tell_overdue=Audience(
            roles=COORDINATORS,
            casemanager=True,
            organisation_roles=frozenset({Role.PARTNER_REPRESENTATIVE}),
        ),
        subject="cases.ConsentRequest",
    ),
    DeadlineKind(
        code=PERIODIC_EVALUATION,
        label=_("Periodic evaluation"),
        starts=_("The plan is agreed, or the last evaluation is held."),
        met_when=_("The evaluation is held."),
        # The plan's own interval is passed as the occurrence's amount.
        rule=DueRule(Unit.CALENDAR_MONTHS, 3),
        soon_working_days=10,
        tell_before=Audience(casemanager=True),
        tell_overdue=Audience(roles=COORDINATORS, casemanager=True),
        subject="cases.Plan",
        event_before="evaluation_due",
    ),
    DeadlineKind(
        code=SIX_MONTH_EVALUATION,
        label=_("Six-month evaluation"),
        starts=_("The case is accepted; it applies while the case is still open."),
        met_when=_("An evaluation is held; it lapses when the case closes first."),
        rule=DueRule(Unit.CALENDAR_MONTHS, 6),
        soon_working_days=10,
        tell_before=Audience(casemanager=True),
        tell_overdue=Audience(roles=COORDINATORS, casemanager=True),
        subject="cases.Case",
        event_before="evaluation_due",
    ),
    DeadlineKind(
        code=ACTION,
        label=_("Action"),
        starts=_("The action is created, with its own due date."),
        met_when=_("The action is done."),
        rule=DueRule(Unit.GIVEN),
        soon_working_days=2,
        tell_before=Audience(organisation_roles=frozenset({Role.PARTNER_REPRESENTATIVE})),
        tell_overdue=Audience(
            casemanager=True, organisation_roles=frozenset({Role.PARTNER_REPRESENTATIVE})
        ),
        subject="cases.Action",
        event_overdue="action_overdue",
    ),
    DeadlineKind(
        code=MEETING_AGENDA,
        label=_("Meeting agenda out"),
        starts=_("A case meeting is planned (its date)."),
        met_when=_("The agenda is published."),
        # The default; the meetings app passes a network's own number as the amount.
        rule=DueRule(Unit.WORKING_DAYS, 5, direction=Direction.BEFORE),
        soon_working_days=2,
        tell_before=Audience(roles=COORDINATORS),
        tell_overdue=Audience(roles=COORDINATORS),
        subject="meetings.Meeting",
    ),
    DeadlineKind(
        code=COVENANT_RENEWAL_NOTICE,
        label=_("Covenant renewal notice"),
        starts=_("The covenant's next tacit renewal (1 January)."),
        met_when=_(
            "Someone records that the renewal was considered; once the notice date has "
            "passed it lapses and the next renewal's notice date counts."
        ),
        # The covenant's own notice months are passed as the occurrence's amount.
        rule=DueRule(Unit.CALENDAR_MONTHS, 3, direction=Direction.BEFORE),
        soon_working_days=20,
        tell_before=Audience(roles=frozenset({Role.COORDINATOR, Role.FUNCTIONAL_ADMIN})),
        # Never overdue: after the notice date nothing can be done (the covenant renews), so
        # covenant_deadlines_sync lapses it and opens the next one; nobody is told.
        tell_overdue=Audience(),
        subject="partners.Covenant",
        event_before="covenant_notice",
    ),
    DeadlineKind(
        code=RETENTION,
        label=_("Retention period ends"),
        starts=_("The case is closed, redirected or attached."),
        met_when=_("The case's personal data is deleted or anonymised."),
        rule=DueRule(Unit.CALENDAR_YEARS, 5, amount_setting="RETENTION_YEARS_AFTER_CLOSING"),
        variants=(
            (
                RETENTION_REDIRECTED,
                DueRule(Unit.CALENDAR_DAYS, 365, amount_setting="RETENTION_REDIRECTED_DAYS"),
            ),
        ),
        soon_working_days=10,
        tell_before=Audience(roles=frozenset({Role.PRIVACY_OFFICER})),
        tell_overdue=Audience(roles=frozenset({Role.PRIVACY_OFFICER})),
        subject="cases.Case",
    ),
)


def register_builtin() -> None:
    for kind in BUILTIN:
        register(kind)
