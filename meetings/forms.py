"""Forms of the meetings pages. Validation only; the services do the writing (and check the
rights). Each form's `cleaned_data` matches the keyword arguments of its service."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.forms.persons import PersonOfOrganisationField, limit_person_to_organisation
from partners.choices import Role
from partners.models import Network, Organisation, User
from woonoverlast.forms import Form

from .access import PARTICIPANT_ROLES, member_organisation_kinds, substitute_roles
from .choices import MeetingKind
from .models import Invitation, Meeting
from .services import ActionSpec

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
]
NTH = [(1, _("first")), (2, _("second")), (3, _("third")), (4, _("fourth")), (-1, _("last"))]
MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def chair_choices() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, groups__name__in=[Role.COORDINATOR.value, Role.CASEMANAGER.value]
    ).distinct()


class _WhenWhereForm(Form):
    start_time = forms.TimeField(label=_("Start time"), widget=TIME)
    end_time = forms.TimeField(label=_("End time"), widget=TIME, required=False)
    location = forms.CharField(label=_("Location"), max_length=200)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chair_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        return data


class MeetingSeriesForm(_WhenWhereForm):
    """Plan a network's year: `services.meeting_series_plan(**form.cleaned_data, by=...)`."""

    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.filter(is_active=True)
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    weekday = forms.TypedChoiceField(label=_("Day of the week"), choices=WEEKDAYS, coerce=int)
    nth = forms.TypedChoiceField(label=_("Which one in the month"), choices=NTH, coerce=int)
    skip_months = forms.TypedMultipleChoiceField(
        label=_("No meeting in"),
        choices=MONTHS,
        coerce=int,
        required=False,
        initial=[8],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For example August, when many are on holiday."),
    )
    skip_dates = forms.CharField(
        label=_("Also no meeting on"),
        required=False,
        help_text=_("Dates as 2027-05-11, separated by commas."),
    )

    field_order = ["network", "year", "weekday", "nth", "start_time", "end_time", "location"]

    def clean_skip_dates(self) -> list[datetime.date]:
        text = self.cleaned_data.get("skip_dates") or ""
        dates = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            try:
                dates.append(datetime.date.fromisoformat(part))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date like 2027-05-11."), params={"value": part}
                ) from None
        return dates


class MeetingForm(_WhenWhereForm):
    """One meeting: `services.meeting_plan(**form.cleaned_data, by=...)`. A case meeting
    needs a network; the other kinds have none."""

    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.filter(is_active=True), required=False
    )
    date = forms.DateField(label=_("Date"), widget=DATE)

    field_order = ["kind", "network", "date", "start_time", "end_time", "location", "chair"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        is_case = data.get("kind") == MeetingKind.CASE
        if is_case and not data.get("network"):
            self.add_error("network", _("Choose the network of this case meeting."))
        if not is_case and data.get("network"):
            self.add_error("network", _("Only a case meeting belongs to a network."))
        return data


class MeetingMoveForm(_WhenWhereForm):
    """`services.meeting_move(meeting=..., **form.cleaned_data, by=...)`."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    field_order = ["date", "start_time", "end_time", "location", "chair"]


class MeetingCancelForm(Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class ApologiesForm(Form):
    """`services.invitation_send_apologies(invitation=..., **form.cleaned_data, by=...)`:
    the substitute is chosen from the invitation's organisation, among those who may
    prepare the cases."""

    substitute = forms.ModelChoiceField(label=_("Substitute"), queryset=User.objects.none())

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = substitute_roles(invitation.meeting)
        candidates = (
            User.objects.filter(
                organisation_id=invitation.organisation_id,
                is_active=True,
                groups__name__in=[role.value for role in roles],
            )
            .exclude(pk=invitation.user_id)
            .distinct()
        )
        field = self.fields["substitute"]
        if invitation.meeting.is_case_meeting:
            field.help_text = _(
                "Someone of your organisation who may see its cases, to prepare the meeting."
            )
        else:
            field.required = False
        field.queryset = candidates  # type: ignore[attr-defined]


class AgendaItemForm(Form):
    """A general item: `services.agenda_item_add(meeting=..., **form.cleaned_data, by=...)`."""

    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("Question to the meeting"), widget=forms.Textarea, required=False
    )


class AgendaQuestionForm(Form):
    """`services.agenda_item_update(item=..., **form.cleaned_data, by=...)`."""

    question = forms.CharField(
        label=_("Question to the meeting"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Only what the meeting needs: no names, house numbers or diagnoses."),
    )


class AgendaOrderForm(Form):
    """The new order as item ids, e.g. from a sortable list: "12,9,15"."""

    order = forms.CharField(widget=forms.HiddenInput)

    def clean_order(self) -> list[int]:
        try:
            return [int(part) for part in self.cleaned_data["order"].split(",") if part]
        except ValueError:
            raise forms.ValidationError(_("The order could not be read.")) from None


class OnCallForm(Form):
    """`services.agenda_item_call_organisation(item=..., **form.cleaned_data, by=...)`."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation on call"),
        queryset=Organisation.objects.filter(on_call_only=True, is_active=True),
    )


class MinutesItemForm(Form):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)


class DecisionForm(Form):
    """A decision; its actions come from an ActionFormSet beside it."""

    text = forms.CharField(label=_("Decision"), widget=forms.Textarea)


class ActionForm(Form):
    """One action a decision asks for; `spec()` gives the service's ActionSpec."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    person = PersonOfOrganisationField(label=_("Person"))
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    description = forms.CharField(label=_("Action"), widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The same person rule as the plan's action form (cases/forms/persons.py).
        limit_person_to_organisation(self, person="person")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, organisation = data.get("person"), data.get("organisation")
        if person and organisation and person.organisation_id != organisation.pk:
            self.add_error("person", _("The person must work for the organisation of the action."))
        return data

    def spec(self) -> ActionSpec:
        data = self.cleaned_data
        return ActionSpec(
            organisation=data["organisation"],
            person=data.get("person"),
            due_on=data["due_on"],
            description=data["description"],
        )


ActionFormSet = forms.formset_factory(ActionForm, extra=1, can_delete=True)


class AttendanceForm(Form):
    """`services.attendance_record(meeting=..., **form.cleaned_data, by=...)`."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    present = forms.BooleanField(label=_("Present"), required=False)
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.filter(is_active=True), required=False
    )


class AddendumForm(Form):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea)


class BottleneckForm(Form):
    """`services.bottleneck_signal(**form.cleaned_data, by=...)`."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea,
        help_text=_("Describe the bottleneck in the approach; no names or case details."),
    )


class BottleneckResolveForm(Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea)


# --- Scheduling and attendance pages (meetings/views_schedule.py) ---------------------------


class MeetingMoveWithReasonForm(MeetingMoveForm):
    """Moving a meeting says why (kept in the meeting's history):
    `services.meeting_move(meeting=..., **form.cleaned_data, by=...)`."""

    reason = forms.CharField(label=_("Reason for moving"), max_length=100)


class ApologiesPageForm(ApologiesForm):
    """The apologies page lists the colleagues who may prepare the cases, but accepts any
    active colleague, so that the service's rule (`services.substitute_problem`) says next
    to the field, in Dutch, why someone cannot stand in."""

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, invitation=invitation, **kwargs)
        field = self.fields["substitute"]
        assert isinstance(field, forms.ModelChoiceField)
        offered: Any = forms.models.ModelChoiceIterator(field)  # the colleagues who may prepare
        field.queryset = User.objects.filter(
            organisation_id=invitation.organisation_id, is_active=True
        ).exclude(pk=invitation.user_id)
        field.widget.choices = offered


class AttendanceRowForm(Form):
    """One invited organisation's attendance:
    `services.attendance_record(meeting=..., organisation=form.organisation,
    **form.cleaned_data, by=...)`. The person is one of those invited for it (or their
    substitute); `people` is read once for all rows."""

    present = forms.BooleanField(label=_("Present"), required=False)
    user = forms.ModelChoiceField(label=_("Who came"), queryset=User.objects.none(), required=False)

    def __init__(
        self, *args: Any, organisation: Organisation, people: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        field = self.fields["user"]
        field.queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[person.pk for person in people]
        )
        field.choices = [("", "—")] + [  # type: ignore[attr-defined]
            (person.pk, person.get_full_name() or person.email) for person in people
        ]


# --- Agenda editing (views_agenda) -----------------------------------------------------------


class AgendaItemEditForm(AgendaQuestionForm):
    """The question of an item, and the title of an item without a case (a case item is
    named by its case): `services.agenda_item_update(item=..., **form.cleaned_data, by=...)`."""

    title = forms.CharField(label=_("Title"), max_length=200)

    field_order = ["title", "question"]

    def __init__(self, *args: Any, has_case: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_case:
            del self.fields["title"]


class AgendaMoveForm(Form):
    """One place up or down on the agenda."""

    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class _PersonWithOrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.email
        return f"{name} ({obj.organisation.name})" if obj.organisation else str(name)


class MemberInviteForm(Form):
    """Invite someone to an advisory, steering or director meeting, for their organisation:
    `services.meeting_member_invite(meeting=..., user=form.cleaned_data["user"], by=...)`.
    Members of these meetings need no case access (the meeting-member role has none)."""

    user = _PersonWithOrganisationField(
        label=_("Person"),
        queryset=User.objects.none(),
        help_text=_("Active users of a partner organisation who take part in meetings."),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        kinds = member_organisation_kinds(meeting)
        people = User.objects.filter(
            is_active=True,
            organisation__isnull=False,
            # Only who takes part in meetings (no referrer, officer or administrator).
            pk__in=User.objects.filter(
                groups__name__in=[role.value for role in PARTICIPANT_ROLES]
            ).values("pk"),
        )
        if kinds is not None:  # the steering group and the director meeting
            people = people.filter(organisation__kind__in=kinds)
        field.queryset = (
            people.exclude(meeting_invitations__meeting_id=meeting.pk)
            .select_related("organisation")
            .order_by("organisation__name", "last_name", "first_name", "pk")
        )
