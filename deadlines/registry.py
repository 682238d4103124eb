"""The registry of deadline kinds: one `DeadlineKind` per kind of deadline in DOMAIN.md §8.

Each kind says what starts it, how its due date is computed (`domain.DueRule`), how many
working days before the due day it counts as "due soon", who is told then and when it is
overdue, and when it is met. The built-in kinds are registered in `kinds.py` from
`DeadlinesConfig.ready()`; another app registers its own the same way from its own
`AppConfig.ready()`:

    from deadlines.registry import Audience, DeadlineKind, register
    from deadlines.domain import DueRule, Unit

    register(DeadlineKind(
        code="data_subject_request", label=_("Data-subject request"),
        starts=_("A request is received"), met_when=_("The request is answered"),
        rule=DueRule(Unit.CALENDAR_MONTHS, 1), soon_working_days=5,
        tell_before=Audience(roles=frozenset({Role.PRIVACY_OFFICER})),
        tell_overdue=Audience(roles=frozenset({Role.PRIVACY_OFFICER})),
    ))

Codes are stored on `Deadline.kind`; never rename one that has rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from partners.choices import Role

from .calendar import working_day_calendar
from .domain import DueRule, Unit, due_at, soon_on


@dataclass(frozen=True)
class Audience:
    """Who is told: every active user with one of `roles`; the casemanager of the deadline's
    case; and users holding one of `organisation_roles` in the deadline's organisation (the
    corporation asked for consent, the organisation an action is assigned to)."""

    roles: frozenset[Role] = frozenset()
    casemanager: bool = False
    organisation_roles: frozenset[Role] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.roles or self.casemanager or self.organisation_roles)


@dataclass(frozen=True)
class DeadlineKind:
    code: str
    label: Any  # lazy translation
    starts: Any  # what starts it (lazy translation, shown in the README and admin)
    met_when: Any  # when it is met
    rule: DueRule
    soon_working_days: int
    tell_before: Audience
    tell_overdue: Audience
    # False: the objects it belongs to do not exist yet (plans, meetings, actions); the
    # rules are here, nothing opens such a deadline until its app wires it.
    wired: bool = True
    subject: str = ""  # "app_label.Model" of the object it belongs to, for readers
    # URL name of the subject's page (taking its pk): where a notification about a deadline
    # without a case links to. Empty: the dashboard.
    subject_url: str = ""
    soon_setting: str = ""  # setting that overrides `soon_working_days`
    # Other rules for some occurrences of the same kind, by name: whoever opens one names
    # its variant (`deadline_open(variant=...)`); label, due-soon window and audiences stay
    # the kind's. A referral redirected at intake keeps its data for a shorter period than
    # a closed case, yet both deadlines are "the retention period ends".
    variants: tuple[tuple[str, DueRule], ...] = ()
    # The notification events (notifications.choices.Event) of the two stages.
    event_before: str = "deadline_due_soon"
    event_overdue: str = "deadline_overdue"

    # --- The one place due dates are computed (with domain.DueRule) -------------------

    def rule_for(self, variant: str = "") -> DueRule:
        """The rule of `variant` ("" : the kind's own)."""
        if not variant:
            return self.rule
        for name, rule in self.variants:
            if name == variant:
                return rule
        raise ValueError(f"Deadline kind {self.code!r} has no variant {variant!r}")

    def default_amount(self, variant: str = "") -> int:
        rule = self.rule_for(variant)
        if rule.amount_setting:
            return int(getattr(settings, rule.amount_setting, rule.amount))
        return rule.amount

    def soon_days(self) -> int:
        if self.soon_setting:
            return int(getattr(settings, self.soon_setting, self.soon_working_days))
        return self.soon_working_days

    def dates(
        self,
        started_on: datetime.date,
        *,
        amount: int | None = None,
        given: datetime.date | None = None,
        variant: str = "",
    ) -> tuple[datetime.date, datetime.date, datetime.datetime]:
        """(due_on, soon_on, due_at) of an occurrence started on `started_on`."""
        calendar = working_day_calendar()
        due = self.rule_for(variant).due_on(
            started_on,
            calendar=calendar,
            amount=self.default_amount(variant) if amount is None else amount,
            given=given,
        )
        soon = soon_on(due, working_days_before=self.soon_days(), calendar=calendar)
        return due, soon, due_at(due, settings.TIME_ZONE)

    def latest_start(self, due_by: datetime.date, *, variant: str = "") -> datetime.date:
        """The latest start of an occurrence (with the default amount) that is due on
        `due_by` or earlier: a job that acts when such deadlines fall due (retention) takes
        its cutoff from here, so it acts on exactly the rows' due days."""
        return self.rule_for(variant).latest_start(
            due_by, calendar=working_day_calendar(), amount=self.default_amount(variant)
        )

    def soon_from(self, due_on: datetime.date) -> datetime.date:
        """The first day a deadline due on `due_on` counts as due soon."""
        return soon_on(
            due_on, working_days_before=self.soon_days(), calendar=working_day_calendar()
        )

    def due_soon_up_to(self, today: datetime.date) -> datetime.date:
        """The latest due day that counts as due soon on `today` (for list filters): exactly
        the days `d` with `soon_from(d) <= today`."""
        days = self.soon_days()
        return working_day_calendar().add_working_days(today, days) if days > 0 else today

    @property
    def uses_working_days(self) -> bool:
        return self.rule.unit == Unit.WORKING_DAYS


_KINDS: dict[str, DeadlineKind] = {}


class UnknownKindError(KeyError):
    pass


def register(kind: DeadlineKind) -> DeadlineKind:
    """Add a kind. Registering the same code twice with a different definition is an error
    (two apps claiming one code); the same definition again is fine (ready() may re-run)."""
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"Deadline kind {kind.code!r} is already registered differently")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> DeadlineKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise UnknownKindError(code) from None


def all_kinds() -> list[DeadlineKind]:
    return list(_KINDS.values())


def label(code: str) -> Any:
    kind = _KINDS.get(code)
    return kind.label if kind else code
