"""The scheduling part of a meeting's page (`templates/meetings/_schedule_detail.html`):
moving and cancelling, the invitations with their apologies and substitutes, the attendance
and the corrections to final minutes. Reads through `meetings.selectors`, rights through
`meetings.access` and `services.may_send_apologies`; a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import prefetch_related_objects

from meetings import selectors, services
from meetings.access import may_plan_meetings
from meetings.models import Meeting
from partners.models import User

register = template.Library()


@register.inclusion_tag("meetings/_schedule_detail.html", takes_context=True)
def meeting_schedule(context: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    user = context["request"].user
    assert isinstance(user, User)
    prefetch_related_objects([user], "groups")  # the roles, read once for every row
    coordinator = may_plan_meetings(user)
    open_minutes = not meeting.is_cancelled and not meeting.minutes_are_final
    invitations = [
        (invitation, open_minutes and services.may_send_apologies(user, invitation))
        for invitation in selectors.invitations_of(meeting=meeting)
        if coordinator or invitation.agenda_item_id is None
    ]
    return {
        "meeting": meeting,
        "coordinator": coordinator,
        "may_reschedule": coordinator and services.schedule_problem(meeting) is None,
        "may_record_attendance": coordinator and open_minutes,
        "may_invite_members": coordinator
        and not meeting.is_case_meeting
        and not meeting.is_cancelled,
        "invitations": invitations,
        "attendance": list(selectors.attendance_of(meeting=meeting)),
        "addenda": list(selectors.addenda_of(meeting=meeting)) if meeting.minutes_are_final else [],
    }
