"""Shared by the meeting services: who may (the coordinator), the meeting's stored state, and
telling the invitees."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.choices import Event
from notifications.services import notify
from partners.choices import Role
from partners.models import User

from .. import selectors
from ..choices import (
    MeetingStatus,
    MinutesState,
)
from ..models import (
    Meeting,
)

# --- Rights --------------------------------------------------------------------------------


def _has_role(user: User, *roles: Role) -> bool:
    return bool(user.is_authenticated and user.is_active and set(user.roles) & set(roles))


def require_coordinator(user: User) -> None:
    if not _has_role(user, Role.COORDINATOR):
        raise PermissionDenied(_("Only the coordinator may do this."))


def _current(meeting: Meeting) -> tuple[str, str]:
    """The meeting's status and minutes state as stored now (the caller's copy may be old)."""
    return Meeting.objects.values_list("status", "minutes_state").get(pk=meeting.pk)


def _require_open_agenda(meeting: Meeting) -> None:
    if _current(meeting)[0] == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting has been cancelled."))


def _require_draft_minutes(meeting: Meeting) -> None:
    if _current(meeting)[1] == MinutesState.FINAL:
        raise ValidationError(_("The minutes are final; add a correction as an addendum instead."))


# --- Notifications ---------------------------------------------------------------------------


def meeting_url(meeting: Meeting) -> str:
    """The meeting's page (behind sign-in); empty until the pages exist."""
    try:
        return reverse("meetings:detail", args=[meeting.pk])
    except NoReverseMatch:
        return ""


def _meeting_name(meeting: Meeting) -> str:
    if meeting.network is not None:
        return meeting.network.name
    with translation.override("nl"):
        return str(meeting.get_kind_display())


def _tell_invitees(meeting: Meeting, *, event: Event, key: str, date: datetime.date) -> int:
    return notify(
        recipients=selectors.meeting_invitees(meeting=meeting),
        event=event,
        key=key,
        url=meeting_url(meeting),
        context={"network": _meeting_name(meeting), "date": date},
    )


def _require_agenda_editable(meeting: Meeting) -> None:
    _require_open_agenda(meeting)
    _require_draft_minutes(meeting)
