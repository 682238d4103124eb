"""What every form of the project does with what a user types, before any form's own rules.

Use `Form` and `ModelForm` from here (or add `InputHygieneMixin` first in the bases of a
form that must subclass something else, like Django's AuthenticationForm). A test
(tests/test_input_hygiene.py) fails for a form class in our apps without the mixin.

1. Free text is normalised (`clean_text`): Unicode NFC; control characters removed (C0
   except tab and newline, DEL, C1), as are the bidirectional controls (the right-to-left
   override U+202E and its kin) and zero-width no-break spaces; line and paragraph
   separators and carriage returns become newlines. An independent scanner stored ESC
   sequences and U+202E in journal text, which then reached CSV exports and e-mails.
   A NUL character stays, so that Django's validator refuses the value with a message.
   Passwords are left exactly as typed.

2. Every date has a plausible range (`DATE_RANGES`, by field name; `DEFAULT_DATE_RANGE`
   otherwise) with a message next to the field: 0001-01-01 was accepted for a date of
   birth, a journal date and "nuisance since".
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# --- Free text -------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x85]")
# C0 controls except NUL (00: Django's own validator refuses it with a message), TAB (09)
# and LF (0A); DEL and the C1 controls (U+0080–U+009F); the bidirectional marks,
# embeddings, overrides and isolates; the zero-width no-break space.
_REMOVED = re.compile(
    "[\x01-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def clean_text(value: str) -> str:
    """Text as stored: NFC, newlines as "\\n", no control or bidirectional characters."""
    value = unicodedata.normalize("NFC", value)
    value = _NEWLINES.sub("\n", value)
    return _REMOVED.sub("", value)


def _normalising(to_python: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def normalised(value: Any) -> Any:
        if isinstance(value, str):
            value = clean_text(value)
        return to_python(value)

    return normalised


# --- Dates -----------------------------------------------------------------------------

EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
# The covenant on extreme housing nuisance is from the 2010s; records of earlier events
# (a police report, a first complaint) can be older, not from before 2000.
EARLIEST_EVENT_DATE = datetime.date(2000, 1, 1)
FUTURE_YEARS = 10  # planned dates: terms, due dates, a covenant's end


@dataclass(frozen=True)
class DateRange:
    """The earliest date and how far after today a date may be (None: any future date up
    to `FUTURE_YEARS`; 0: today at the latest)."""

    earliest: datetime.date
    days_after_today: int | None

    def latest(self) -> datetime.date:
        today = timezone.localdate()
        if self.days_after_today is None:
            return today.replace(year=today.year + FUTURE_YEARS)
        return today + datetime.timedelta(days=self.days_after_today)


BIRTH = DateRange(EARLIEST_BIRTH_DATE, 0)
PAST_EVENT = DateRange(EARLIEST_EVENT_DATE, 0)
DEFAULT_DATE_RANGE = DateRange(EARLIEST_EVENT_DATE, None)

# Field name → range. A field not listed gets DEFAULT_DATE_RANGE (2000 to ten years ahead).
DATE_RANGES: dict[str, DateRange] = {
    "date_of_birth": BIRTH,
    # Nuisance can have started long before the referral (a decades-long hoarding case).
    "nuisance_since": DateRange(datetime.date(1950, 1, 1), 0),
    # Things that happened: not in the future.
    "occurred_on": PAST_EVENT,  # journal entry
    "consent_date": PAST_EVENT,
    "received_on": PAST_EVENT,  # data subject request
    "referred_on": PAST_EVENT,
    "requested_on": PAST_EVENT,
    "answered_on": PAST_EVENT,
    "screened_on": PAST_EVENT,
    "decided_on": PAST_EVENT,
    "signed_on": PAST_EVENT,  # covenant
}

TOO_EARLY = _("Enter a date on or after %(limit)s.")
FUTURE_DATE = _("The date cannot be in the future.")
TOO_LATE = _("Enter a date on or before %(limit)s.")


def date_range_validator(date_range: DateRange) -> Callable[[Any], None]:
    def validate(value: Any) -> None:
        if not isinstance(value, datetime.date):
            return
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if value < date_range.earliest:
            limit = formats.date_format(date_range.earliest, "SHORT_DATE_FORMAT")
            raise ValidationError(TOO_EARLY, code="too_early", params={"limit": limit})
        latest = date_range.latest()
        if value > latest:
            if latest == timezone.localdate():
                raise ValidationError(FUTURE_DATE, code="future")
            limit = formats.date_format(latest, "SHORT_DATE_FORMAT")
            raise ValidationError(TOO_LATE, code="too_late", params={"limit": limit})

    validate.date_range = date_range  # type: ignore[attr-defined]
    return validate


# --- The mixin ---------------------------------------------------------------------------


class InputHygieneMixin:
    """Normalises free text and bounds dates on every field of the form (see above)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            harden_field(name, field)


def harden_field(name: str, field: forms.Field) -> None:
    """Apply the project's input rules to one (form instance's own copy of a) field. Also
    for fields added after `__init__` (formsets' DELETE needs nothing)."""
    if getattr(field, "_hardened", False):
        return
    field._hardened = True  # type: ignore[attr-defined]
    if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
        field.to_python = _normalising(field.to_python)  # type: ignore[method-assign,assignment]
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        field.validators = [
            *field.validators,
            date_range_validator(DATE_RANGES.get(name, DEFAULT_DATE_RANGE)),
        ]


class Form(InputHygieneMixin, forms.Form):
    pass


class ModelForm(InputHygieneMixin, forms.ModelForm):
    pass


def posted_with_version(data: Any, version: int) -> Any:
    """The posted form data again, everything typed kept, carrying the row's current
    `version` (optimistic locking): after a refused stale save, the next save checks
    against what is saved now."""
    fresh = data.copy()
    fresh["version"] = str(version)
    return fresh
