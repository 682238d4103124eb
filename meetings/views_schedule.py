"""The scheduling and attendance pages: plan a network's year of case meetings, move or cancel
a meeting, invite members to a covenant meeting, send apologies with a substitute, record attendance, add a dated correction to
final minutes. Thin: access through `meetings.access`, rules in `services`, reads in
`selectors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partners.access import object_access, rule_required
from partners.models import Organisation, User

from . import selectors, services
from .access import (
    Section,
    access_invitation,
    access_meeting,
    apologies_problem,
    may_plan_meetings,
    schedule_problem,
)
from .forms import (
    AddendumForm,
    ApologiesPageForm,
    AttendanceRowForm,
    MeetingCancelForm,
    MeetingMoveWithReasonForm,
    MeetingSeriesForm,
    MemberInviteForm,
)
from .models import Meeting

GET_POST = ["GET", "HEAD", "POST"]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (also when empty: the form then says what is missing)."""
    return request.POST if request.method == "POST" else None


def _refused(request: HttpRequest, meeting: Meeting, problem: str) -> HttpResponse:
    """A step that no longer applies: back to the meeting, saying why."""
    messages.error(request, problem)
    return redirect("meetings:detail", pk=meeting.pk)


def _page(
    request: HttpRequest, template: str, meeting: Meeting | None, **context: Any
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"meeting": meeting, **context}, status=status)


@require_http_methods(GET_POST)
@rule_required(may_plan_meetings)
def series_plan(request: HttpRequest) -> HttpResponse:
    """A network's year of case meetings at once: the n-th weekday of each month, without
    the skipped months (August by default) and dates."""
    form = MeetingSeriesForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            series = services.meeting_series_plan(**form.cleaned_data, by=_user(request))
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request,
                _("%(count)d meetings of %(network)s are planned in %(year)d.")
                % {
                    "count": series.meetings.count(),
                    "network": series.network.name,
                    "year": series.year,
                },
            )
            return redirect("meetings:list")
    return _page(request, "meetings/schedule_series.html", None, form=form)


def _schedule_change(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[Any],
    initial: Callable[[Meeting], dict[str, Any]],
    change: Callable[..., Meeting],
    template: str,
    done: str,
) -> HttpResponse:
    """Moving and cancelling have one shape: the coordinator, on a meeting that has not
    taken place (else back to it, saying why); the form's values go to the service, which
    tells the invitees; a refusal is shown on the form with everything typed kept."""
    meeting = access_meeting(request, pk, section=Section.COORDINATE)
    problem = schedule_problem(meeting)
    if problem:
        return _refused(request, meeting, problem)
    form = form_class(_posted(request), initial=initial(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            change(meeting=meeting, **form.cleaned_data, by=_user(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("meetings:detail", pk=meeting.pk)
    return _page(request, template, meeting, form=form)


def _when_and_where(meeting: Meeting) -> dict[str, Any]:
    return {
        "date": meeting.date,
        "start_time": meeting.start_time,
        "end_time": meeting.end_time,
        "location": meeting.location,
        "chair": meeting.chair_id,
    }


@require_http_methods(GET_POST)
@object_access(access_meeting)
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    """A new date, time or place, with the reason; the invitees are told."""
    return _schedule_change(
        request,
        pk,
        form_class=MeetingMoveWithReasonForm,
        initial=_when_and_where,
        change=services.meeting_move,
        template="meetings/schedule_move.html",
        done=_("The meeting is moved; the invitees have been told."),
    )


@require_http_methods(GET_POST)
@object_access(access_meeting)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel the meeting with the reason; the invitees are told."""
    return _schedule_change(
        request,
        pk,
        form_class=MeetingCancelForm,
        initial=lambda meeting: {},
        change=services.meeting_cancel,
        template="meetings/schedule_cancel.html",
        done=_("The meeting is cancelled; the invitees have been told."),
    )


@require_http_methods(GET_POST)
@object_access(access_invitation)
def apologies(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """Apologies for an invitation, naming the substitute who comes instead (for a case
    meeting someone of the same organisation who may see its cases)."""
    invitation = access_invitation(request, pk, invitation_pk)
    meeting = invitation.meeting
    problem = apologies_problem(meeting)
    if problem and request.method != "POST":
        return _refused(request, meeting, problem)
    # A POST meanwhile too late: the service refuses, and says why on the form.
    form = ApologiesPageForm(_posted(request), invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_send_apologies(
                invitation=invitation,
                substitute=form.cleaned_data.get("substitute"),
                by=_user(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your apologies are sent; the substitute is invited instead.")
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return _page(
        request, "meetings/schedule_apologies.html", meeting, form=form, invitation=invitation
    )


def _attendance_forms(
    request: HttpRequest, meeting: Meeting
) -> list[tuple[Organisation, AttendanceRowForm]]:
    """One form per invited organisation, with as people those invited for it and their
    substitutes; filled with what was recorded, else the expected attendee as present."""
    people: dict[int, dict[int, User]] = {}
    organisations: dict[int, Organisation] = {}
    expected: dict[int, User] = {}
    for invitation in selectors.invitations_of(meeting=meeting):
        organisations[invitation.organisation_id] = invitation.organisation
        found = people.setdefault(invitation.organisation_id, {})
        for person in (invitation.user, invitation.substitute):
            if person is not None:
                found[person.pk] = person
        attendee = invitation.substitute if invitation.apologies_at else invitation.user
        if attendee is not None:
            expected.setdefault(invitation.organisation_id, attendee)
    recorded = {a.organisation_id: a for a in selectors.attendance_of(meeting=meeting)}
    forms = []
    for organisation in sorted(organisations.values(), key=lambda o: o.name):
        row = recorded.get(organisation.pk)
        if row is not None:
            initial = {"present": row.present, "user": row.user_id}
        else:
            attendee = expected.get(organisation.pk)
            initial = {"present": True, "user": attendee.pk if attendee else None}
        forms.append(
            (
                organisation,
                AttendanceRowForm(
                    _posted(request),
                    prefix=f"org-{organisation.pk}",
                    initial=initial,
                    organisation=organisation,
                    people=list(people[organisation.pk].values()),
                ),
            )
        )
    return forms


@require_http_methods(GET_POST)
@object_access(access_meeting)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Who attended for each invited organisation, recorded while the minutes are draft."""
    meeting = access_meeting(request, pk, section=Section.COORDINATE)
    if meeting.is_cancelled:
        return _refused(request, meeting, _("This meeting has been cancelled."))
    if meeting.minutes_are_final:
        return _refused(
            request, meeting, _("The minutes are final; add a correction as an addendum instead.")
        )
    rows = _attendance_forms(request, meeting)
    if request.method == "POST" and all(form.is_valid() for _organisation, form in rows):
        try:
            with transaction.atomic():
                for organisation, form in rows:
                    services.attendance_record(
                        meeting=meeting,
                        organisation=organisation,
                        present=form.cleaned_data["present"],
                        user=form.cleaned_data["user"],
                        by=_user(request),
                    )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect(f"{services.meeting_url(meeting)}#attendance")
    return _page(request, "meetings/schedule_attendance.html", meeting, rows=rows)


@require_http_methods(GET_POST)
@object_access(access_meeting)
def addendum_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A dated correction to final minutes (the minutes themselves are read-only)."""
    meeting = access_meeting(request, pk, section=Section.COORDINATE)
    if not meeting.minutes_are_final:
        return _refused(
            request, meeting, _("Change the draft minutes themselves; they are not final yet.")
        )
    form = AddendumForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_addendum_add(
                meeting=meeting, text=form.cleaned_data["text"], by=_user(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The correction is added to the minutes."))
            return redirect(f"{services.meeting_url(meeting)}#addenda")
    return _page(request, "meetings/schedule_addendum.html", meeting, form=form)


@require_http_methods(GET_POST)
@object_access(access_meeting)
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a member to an advisory, steering or director meeting (a case meeting invites
    its network's standing representatives by itself)."""
    meeting = access_meeting(request, pk, section=Section.COORDINATE)
    if meeting.is_case_meeting:
        return _refused(request, meeting, _("Case meetings invite the network's representatives."))
    if meeting.is_cancelled:
        return _refused(request, meeting, _("This meeting has been cancelled."))
    form = MemberInviteForm(_posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["user"]
        try:
            services.meeting_member_invite(meeting=meeting, user=member, by=_user(request))
        except ValidationError as error:
            form.add_error("user", error)
        else:
            messages.success(
                request,
                _("%(person)s is invited.") % {"person": member.get_full_name() or member.email},
            )
            return redirect(f"{services.meeting_url(meeting)}#invitations")
    return _page(request, "meetings/schedule_member_invite.html", meeting, form=form)
