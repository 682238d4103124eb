"""The person an action is assigned to: an active user of the action's organisation only.

One field and one helper for every form that assigns an action (the plan's and the aftercare
plan's action form here, a meeting decision's action in `meetings/forms.py`): the person
list holds the active users of the organisation chosen in the form (none before one is
chosen); a person of another organisation is refused next to the field, in Dutch. With
JavaScript, changing the organisation asks `cases:organisation_persons` for the new list
(htmx swaps the select); without it, the form is sent again and shows the list of the
chosen organisation (the validation message, or the "show the persons" button).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partners.models import User
from woonoverlast.forms import Form

# The names a form field may have in a request for its new list (a formset's prefix included).
FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


def persons_of(organisation_id: int | None) -> QuerySet[User]:
    """The active users of one organisation, by name (none without an organisation)."""
    if organisation_id is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, organisation_id=organisation_id).order_by(
        "last_name", "first_name", "pk"
    )


class PersonOfOrganisationField(forms.ModelChoiceField):
    """An optional person, chosen among the active users of the form's organisation."""

    default_error_messages = {
        "invalid_choice": _(
            "Choose a person who works for the chosen organisation, or leave it empty."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Only people of the chosen organisation can be chosen."))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


def _organisation_id(value: Any) -> int | None:
    value = getattr(value, "pk", value)
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def limit_person_to_organisation(
    form: forms.Form, *, person: str, organisation: str = "organisation"
) -> None:
    """Give `form`'s person field the persons of the organisation the form holds (bound:
    what was sent; unbound: its initial value), and let the organisation field ask for a
    new list when it changes (htmx)."""
    if form.is_bound:
        chosen = form.data.get(form.add_prefix(organisation))
    else:
        chosen = form.initial.get(organisation, form.fields[organisation].initial)
    person_field = form.fields[person]
    assert isinstance(person_field, forms.ModelChoiceField)
    person_field.queryset = persons_of(_organisation_id(chosen))
    query = urlencode(
        {
            "person_field": form.add_prefix(person),
            "organisation_field": form.add_prefix(organisation),
        }
    )
    form.fields[organisation].widget.attrs.update(
        {
            "data-hx-get": f"{reverse('cases:organisation_persons')}?{query}",
            "data-hx-trigger": "change",
            "data-hx-target": f"#{form[person].auto_id}",
            "data-hx-swap": "outerHTML",
        }
    )


class PersonSelectForm(Form):
    """Only the person select of another form, for the htmx request that refreshes it."""

    def __init__(self, *, name: str, organisation_id: int | None) -> None:
        super().__init__()
        field = PersonOfOrganisationField()
        field.queryset = persons_of(organisation_id)
        self.fields[name] = field

    def widget_html(self, name: str) -> str:
        return str(self[name])


def organisation_from_request(params: Any) -> tuple[str, int | None] | None:
    """(person field name, chosen organisation id) of an htmx request (by default the plan's
    action form: `assignee` and `organisation`), None when the names are not field names."""
    person = params.get("person_field", "assignee")
    organisation = params.get("organisation_field", "organisation")
    if not (FIELD_NAME.match(person) and FIELD_NAME.match(organisation)):
        return None
    return person, _organisation_id(params.get(organisation))
