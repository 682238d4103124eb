"""The scheduling part of a meeting's page (`templates/meetings/_schedule_detail.html`):
moving and cancelling, the invitations with their apologies and substitutes, the attendance
and the corrections to final minutes. Reads through `meetings.selectors`; what the user may
do is decided in `meetings.access.schedule_rights` (the template only displays it); a fixed
number of queries."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import prefetch_related_objects

from meetings import selectors
from meetings.access import schedule_rights
from meetings.models import Meeting
from partners.models import User

register = template.Library()


@register.inclusion_tag("meetings/_schedule_detail.html", takes_context=True)
def meeting_schedule(context: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    user = context["request"].user
    assert isinstance(user, User)
    prefetch_related_objects([user], "groups")  # the roles, read once for every row
    rights = schedule_rights(user, meeting)
    invitations = [
        (invitation, rights.may_send_apologies_for(user, invitation))
        for invitation in selectors.invitations_shown(meeting=meeting, user=user)
    ]
    return {
        "meeting": meeting,
        "coordinator": rights.coordinator,
        "may_reschedule": rights.may_reschedule,
        "may_record_attendance": rights.may_record_attendance,
        "may_invite_members": rights.may_invite_members,
        "invitations": invitations,
        "attendance": list(selectors.attendance_of(meeting=meeting)),
        "addenda": list(selectors.addenda_of(meeting=meeting)) if meeting.minutes_are_final else [],
    }
