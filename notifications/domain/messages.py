"""The text of a notification, rendered from its event and context when it is shown.

Rendering at display time means the text follows the reader's language and never has to
be stored. The context is small and holds no personal data; `clean_context` is the gate.

Context keys a caller may use (anything else is refused):

- ``number``   the case number (``WO-2026-0042``); filled in from ``case`` by ``notify()``
- ``deadline`` the English label of a deadline kind (its gettext msgid, e.g. the label of a
               ``TextChoices`` member); translated when shown
- ``due``      an ISO date (``2026-04-28``): when a deadline or action is due
- ``date``     an ISO date: a meeting date, the covenant's notice date
- ``network``  the name of a network (for meeting events)
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ALLOWED_CONTEXT_KEYS = frozenset({"number", "deadline", "due", "date", "network"})
MAX_CONTEXT_VALUE_LENGTH = 100

# (with a case number, without one). Complete sentences with named placeholders.
MESSAGES: dict[str, tuple[Any, Any]] = {
    "new_referral": (
        _("A new referral %(number)s has been received."),
        _("A new referral has been received."),
    ),
    "assigned": (
        _("Case %(number)s has been assigned to you."),
        _("A case has been assigned to you."),
    ),
    "consent_requested": (
        _("Your corporation's consent is requested for case %(number)s."),
        _("Your corporation's consent is requested for a case."),
    ),
    "screening_requested": (
        _("A police screening is requested for case %(number)s."),
        _("A police screening is requested for a case."),
    ),
    "action_assigned": (
        _("An action in case %(number)s has been assigned to your organisation."),
        _("An action has been assigned to your organisation."),
    ),
    "action_overdue": (
        _("An action of your organisation in case %(number)s is overdue."),
        _("An action of your organisation is overdue."),
    ),
    "evaluation_due": (
        _("An evaluation of case %(number)s is due on %(due)s."),
        _("An evaluation is due on %(due)s."),
    ),
    "agenda_published": (
        _("The agenda of the case meeting of %(network)s on %(date)s has been published."),
        _("The agenda of the case meeting of %(network)s on %(date)s has been published."),
    ),
    "minutes_final": (
        _("The minutes of the case meeting of %(network)s on %(date)s are final."),
        _("The minutes of the case meeting of %(network)s on %(date)s are final."),
    ),
    # The new date is in the context; where and when exactly is on the meeting's page.
    "meeting_moved": (
        _("The meeting of %(network)s has been moved to %(date)s."),
        _("The meeting of %(network)s has been moved to %(date)s."),
    ),
    "meeting_cancelled": (
        _("The meeting of %(network)s on %(date)s has been cancelled."),
        _("The meeting of %(network)s on %(date)s has been cancelled."),
    ),
    # A representative sent apologies and named the recipient to attend in their place.
    "substitute_invited": (
        _("You are asked to attend the meeting of %(network)s on %(date)s as a substitute."),
        _("You are asked to attend the meeting of %(network)s on %(date)s as a substitute."),
    ),
    "covenant_notice": (
        _("The notice date of the covenant is near: %(date)s."),
        _("The notice date of the covenant is near: %(date)s."),
    ),
    "deadline_due_soon": (
        _("The deadline “%(deadline)s” of case %(number)s is due on %(due)s."),
        _("The deadline “%(deadline)s” is due on %(due)s."),
    ),
    # The outcome stays behind sign-in: the referrer sees it in "my referrals".
    "decision": (
        _("A decision has been taken on your organisation's referral %(number)s."),
        _("A decision has been taken on a referral of your organisation."),
    ),
    # A draft has no case number; the date is the day it goes.
    "draft_purge": (
        _("Your draft referral was never submitted and will be deleted on %(date)s."),
        _("Your draft referral was never submitted and will be deleted on %(date)s."),
    ),
    "deadline_overdue": (
        _("The deadline “%(deadline)s” of case %(number)s was due on %(due)s and is overdue."),
        _("The deadline “%(deadline)s” was due on %(due)s and is overdue."),
    ),
}


class ContextRefusedError(ValueError):
    """A notification context with a key or value that is not allowed (personal data)."""


def clean_context(context: Mapping[str, Any] | None) -> dict[str, str | int]:
    """The context as stored: allowed keys only, short plain values, dates as ISO text."""
    cleaned: dict[str, str | int] = {}
    for key, value in (context or {}).items():
        if key not in ALLOWED_CONTEXT_KEYS:
            raise ContextRefusedError(f"Context key {key!r} is not allowed in a notification")
        if isinstance(value, datetime.datetime):
            raise ContextRefusedError(f"Context {key!r}: pass a date, not a date and time")
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ContextRefusedError(f"Context {key!r}: only text, whole numbers and dates")
        if isinstance(value, str) and len(value) > MAX_CONTEXT_VALUE_LENGTH:
            raise ContextRefusedError(f"Context {key!r} is longer than {MAX_CONTEXT_VALUE_LENGTH}")
        cleaned[key] = value
    return cleaned


def _display_date(value: Any) -> str:
    if not value:
        return "…"
    try:
        return date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)


def render(event: str, context: Mapping[str, Any]) -> str:
    """The notification's sentence in the active language."""
    values = {
        "number": str(context.get("number") or ""),
        "deadline": gettext(str(context["deadline"])) if context.get("deadline") else "…",
        "due": _display_date(context.get("due")),
        "date": _display_date(context.get("date")),
        "network": str(context.get("network") or "…"),
    }
    pair = MESSAGES.get(event)
    if pair is None:
        return gettext("You have a new notification.")
    template = pair[0] if values["number"] else pair[1]
    return str(template) % values
