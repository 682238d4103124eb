"""The meeting pages: the list, planning a meeting, a meeting with its agenda and minutes, and
their PDFs. Thin: access through `meetings.access`, rules in `services`, reads in
`selectors`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.domain.plan import PlanRefused
from partners.access import object_access, rule_required
from partners.models import User

from . import selectors, services
from .access import (
    Section,
    access_meeting,
    access_meeting_document,
    may_open_meetings,
    may_plan_meetings,
    may_print,
    print_version,
    sees_the_agenda,
)
from .choices import DocumentKind
from .current_figures import may_open_figures_report, meeting_figures
from .forms import ActionFormSet, DecisionForm, MeetingForm, MinutesItemForm
from .models import Meeting, MeetingDocument


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_safe
@rule_required(may_open_meetings)
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings first (soonest on top), then the past ones (latest on top)."""
    user = _user(request)
    meetings = selectors.meeting_list_for_user(user=user)
    today = timezone.localdate()
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": list(meetings.filter(date__gte=today).order_by("date", "start_time")),
            "past": list(meetings.filter(date__lt=today).order_by("-date", "-start_time")[:50]),
            "may_plan": may_plan_meetings(user),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@rule_required(may_plan_meetings)
def meeting_plan(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(**form.cleaned_data, by=_user(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is planned and the invitees are invited."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/plan.html", {"form": form})


@dataclass
class _Row:
    """One agenda line with, while the coordinator writes the minutes, its forms."""

    line: selectors.AgendaLine
    minutes_form: MinutesItemForm | None = None
    decision_form: DecisionForm | None = None
    action_forms: Any = None


def _detail_context(
    request: HttpRequest,
    meeting: Meeting,
    bound: MinutesItemForm | None = None,
    bound_decision: tuple[int, DecisionForm, Any] | None = None,
) -> dict[str, Any]:
    """The meeting page: its facts, the agenda (or minutes) lines the user may see, each
    with its minutes form while the coordinator writes them, and the PDFs. (The cases shown
    went into the read log when the view loaded the meeting: `access_meeting`.)"""
    user = _user(request)
    coordinator = may_plan_meetings(user)
    shows_agenda = sees_the_agenda(user, meeting)
    lines = []
    if shows_agenda:
        items = selectors.agenda_items_for_user(meeting=meeting, user=user)
        lines = selectors.agenda_lines(
            items=items,
            with_minutes=coordinator or meeting.minutes_are_final,
            organisation=None if coordinator else user.organisation,
        )
    editable = coordinator and not meeting.is_cancelled and not meeting.minutes_are_final

    # The action forms' organisation and person lists, read once for every item's form.
    choices: dict[str, list[Any]] = {}

    def with_choices(formset: Any) -> Any:
        for form in formset:
            # The person list depends on each form's organisation (cases/forms/persons.py).
            for name in ("organisation",):
                if name not in choices:
                    choices[name] = list(form.fields[name].choices)
                form.fields[name].choices = choices[name]
        return formset

    def row(line: selectors.AgendaLine) -> _Row:
        item = line.item
        if not editable:
            return _Row(line)
        minutes = MinutesItemForm(initial={"summary": item.summary}, prefix=f"item-{item.pk}")
        if bound is not None and bound.prefix == minutes.prefix:
            minutes = bound
        if bound_decision is not None and bound_decision[0] == item.pk:
            return _Row(line, minutes, bound_decision[1], with_choices(bound_decision[2]))
        return _Row(
            line,
            minutes,
            DecisionForm(prefix=f"decision-{item.pk}"),
            with_choices(ActionFormSet(prefix=f"actions-{item.pk}")),
        )

    return {
        "meeting": meeting,
        "shows_agenda": shows_agenda,
        # The advisory and steering agendas attach the year's figures (aggregates only).
        "figures": (
            meeting_figures(meeting=meeting, today=timezone.localdate()) if shows_agenda else None
        ),
        "figures_report": may_open_figures_report(user),
        "rows": [row(line) for line in lines],
        "coordinator": coordinator,
        "editable": editable,
        "documents": _document_rows(user, meeting, coordinator),
    }


def _document_rows(
    user: User, meeting: Meeting, coordinator: bool
) -> list[tuple[str, str, MeetingDocument | None]]:
    """(kind, label, the cached PDF or None) for what this user may print: the coordinator
    both at any time; the others the agenda, and the minutes once final."""
    if not may_print(user, meeting):
        return []
    version = None if coordinator else user.organisation_id
    made = {d.kind: d for d in selectors.documents_of(meeting=meeting, organisation_id=version)}
    kinds = [DocumentKind.AGENDA]
    if coordinator or meeting.minutes_are_final:
        kinds.append(DocumentKind.MINUTES)
    return [(kind.value, str(kind.label), made.get(kind.value)) for kind in kinds]


@require_safe
@object_access(access_meeting)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request, pk, section=Section.PAGE)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@require_POST
@object_access(access_meeting)
def agenda_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the proposals from the network's cases (new referrals, plans to agree, evaluations
    due, overdue actions, cases to pass on or close)."""
    meeting = access_meeting(request, pk, section=Section.COORDINATE)
    try:
        added = services.agenda_propose(meeting=meeting, by=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)d item(s) proposed.") % {"count": len(added)})
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
@object_access(access_meeting)
def agenda_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request, pk, section=Section.COORDINATE)
    try:
        services.agenda_publish(meeting=meeting, by=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agenda is published; the invitees have been told."))
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
@object_access(access_meeting)
def item_minutes(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The summary of one item in the draft minutes."""
    meeting = access_meeting(request, pk, section=Section.MINUTES)
    item = selectors.kept_item(meeting=meeting, pk=item_pk)
    if item is None:
        raise Http404
    form = MinutesItemForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            services.minutes_item_record(
                item=item, summary=form.cleaned_data["summary"], by=_user(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The minutes of this item are saved."))
            return redirect(f"{services.meeting_url(meeting)}#item-{item.pk}")
    context = _detail_context(request, meeting, bound=form)
    return render(request, "meetings/detail.html", context, status=400)


@require_POST
@object_access(access_meeting)
def decision_add(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A decision on one item, with the actions it asks for (organisation, person, due
    date); they become actions on the case when the minutes are made final."""
    meeting = access_meeting(request, pk, section=Section.MINUTES)
    item = selectors.kept_item(meeting=meeting, pk=item_pk)
    if item is None:
        raise Http404
    form = DecisionForm(request.POST, prefix=f"decision-{item.pk}")
    actions = ActionFormSet(request.POST, prefix=f"actions-{item.pk}")
    if form.is_valid() and actions.is_valid():
        specs = [
            action.spec()
            for action in actions
            if action.has_changed() and not action.cleaned_data.get("DELETE")
        ]
        try:
            services.decision_add(
                item=item, text=form.cleaned_data["text"], actions=specs, by=_user(request)
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(f"{services.meeting_url(meeting)}#item-{item.pk}")
    context = _detail_context(request, meeting, bound_decision=(item.pk, form, actions))
    return render(request, "meetings/detail.html", context, status=400)


@require_POST
@object_access(access_meeting)
def minutes_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request, pk, section=Section.COORDINATE)
    try:
        services.minutes_finalise(meeting=meeting, by=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PlanRefused as error:  # an action the case no longer takes (e.g. it was closed)
        messages.error(request, " ".join(str(reason) for reason in error.reasons))
    else:
        messages.success(
            request, _("The minutes are final; their actions are on the cases and in My actions.")
        )
    return redirect("meetings:detail", pk=meeting.pk)


def _kind(kind: str) -> DocumentKind:
    if kind not in DocumentKind.values:
        raise Http404
    return DocumentKind(kind)


@require_POST
@object_access(access_meeting)
def document_request(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Ask for the PDF of the agenda or minutes (the full version for the coordinator, the
    organisation's own version for a representative); a worker makes it."""
    meeting = access_meeting(request, pk, section=Section.PRINT)
    services.meeting_document_request(
        meeting=meeting,
        kind=_kind(kind),
        by=_user(request),
        organisation=print_version(request.user),
    )
    messages.success(request, _("The PDF is being made; it appears here when it is ready."))
    return redirect(f"{services.meeting_url(meeting)}#documents")


@require_safe
@object_access(access_meeting_document)
def document_download(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    """The ready PDF; the read log names every case it shows."""
    document = access_meeting_document(request, pk, kind)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.kind}-{document.meeting.date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
