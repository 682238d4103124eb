"""Agenda editing and the bottleneck log: the coordinator reorders, drops, adds and edits
agenda items; the coordinator or the case's casemanager calls an on-call organisation for a
case item; partners signal bottlenecks and the coordinator resolves them or puts the open
ones on an advisory or steering group agenda.

Thin like `views.py`: access through `meetings.access`, rules in `services`, reads in
`selectors`. Every step works without JavaScript (plain forms and redirects)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partners.access import object_access, rule_required
from partners.models import User

from . import selectors, services
from .access import (
    Section,
    access_agenda_item,
    access_bottleneck,
    access_meeting,
    may_call_organisation,
    may_edit_agenda,
    may_plan_meetings,
    may_resolve_bottlenecks,
    may_use_bottlenecks,
)
from .choices import BottleneckStatus
from .domain.agenda import moved
from .forms import (
    AgendaItemEditForm,
    AgendaItemForm,
    AgendaMoveForm,
    BottleneckForm,
    BottleneckResolveForm,
    OnCallForm,
)
from .models import AgendaItem, Bottleneck, Meeting


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _edit_url(meeting: Meeting | int, anchor: str = "") -> str:
    pk = meeting if isinstance(meeting, int) else meeting.pk
    url = reverse("meetings:agenda_edit", args=[pk])
    return f"{url}#{anchor}" if anchor else url


# --- Agenda editing ---------------------------------------------------------------------------


def _edit_context(
    request: HttpRequest,
    meeting: Meeting,
    *,
    add_form: AgendaItemForm | None = None,
    bound: AgendaItemEditForm | None = None,
) -> dict[str, Any]:
    """The agenda as the coordinator edits it: every kept item with its edit form, the
    dropped items, and the form for a general item. (Its cases went into the read log when
    the view loaded the meeting or the item.)"""
    kept = selectors.agenda_items_for_user(meeting=meeting, user=_user(request))
    lines = selectors.agenda_lines(items=kept)
    dropped = selectors.agenda_lines(items=selectors.dropped_items(meeting=meeting))
    called = selectors.called_organisations(meeting=meeting)
    editable = may_edit_agenda(_user(request), meeting)
    rows = []
    for line in lines:
        item = line.item
        form = None
        if editable:
            form = AgendaItemEditForm(
                initial={"title": item.title, "question": item.question},
                prefix=f"edit-{item.pk}",
                has_case=item.case_id is not None,
            )
            if bound is not None and bound.prefix == form.prefix:
                form = bound
        rows.append({"line": line, "form": form, "called": called.get(item.pk, [])})
    return {
        "meeting": meeting,
        "rows": rows,
        "dropped": dropped,
        "editable": editable,
        "add_form": add_form or AgendaItemForm(prefix="add"),
        "takes_bottlenecks": meeting.kind in selectors.BOTTLENECK_KINDS,
    }


@require_safe
@object_access(access_meeting)
def agenda_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's agenda: order, questions, dropped items, general items."""
    meeting = access_meeting(request, pk, section=Section.AGENDA_EDIT)
    return render(request, "meetings/agenda_edit.html", _edit_context(request, meeting))


@require_POST
@object_access(access_meeting)
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A general item (title and question, no case) at the end of the agenda."""
    meeting = access_meeting(request, pk, section=Section.AGENDA_EDIT)
    form = AgendaItemForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            item = services.agenda_item_add(meeting=meeting, **form.cleaned_data, by=_user(request))
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("The item is added to the agenda."))
            return redirect(_edit_url(meeting, f"item-{item.pk}"))
    return render(
        request, "meetings/agenda_edit.html", _edit_context(request, meeting, add_form=form)
    )


@require_POST
@object_access(access_agenda_item)
def agenda_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The question to the meeting (and a general item's title)."""
    item = access_agenda_item(request, pk, item_pk)
    form = AgendaItemEditForm(
        request.POST, prefix=f"edit-{item.pk}", has_case=item.case_id is not None
    )
    if form.is_valid():
        try:
            services.agenda_item_update(
                item=item,
                question=form.cleaned_data["question"],
                title=form.cleaned_data.get("title"),
                by=_user(request),
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("The item is saved."))
            return redirect(_edit_url(item.meeting_id, f"item-{item.pk}"))
    # The whole agenda is shown again, with its cases (and their read log).
    meeting = access_meeting(request, pk, section=Section.AGENDA_EDIT)
    return render(request, "meetings/agenda_edit.html", _edit_context(request, meeting, bound=form))


@require_POST
@object_access(access_agenda_item)
def agenda_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One place up or down (a button per direction; no JavaScript needed)."""
    item = access_agenda_item(request, pk, item_pk)
    form = AgendaMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the item moves up or down."))
        return redirect(_edit_url(item.meeting_id, f"item-{item.pk}"))
    order = selectors.kept_item_ids(meeting=item.meeting)
    try:
        services.agenda_reorder(
            meeting=item.meeting,
            item_ids=moved(order, item.pk, form.cleaned_data["direction"]),
            by=_user(request),
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(_edit_url(item.meeting_id, f"item-{item.pk}"))


@require_POST
@object_access(access_agenda_item)
def agenda_item_drop(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Take an item off the agenda; it stays listed under the dropped items."""
    item = access_agenda_item(request, pk, item_pk)
    try:
        services.agenda_item_drop(item=item, by=_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The item is taken off the agenda."))
    return redirect(_edit_url(item.meeting_id, "dropped"))


@require_POST
@object_access(access_meeting)
def agenda_bottlenecks(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the open bottlenecks on an advisory or steering group agenda (each once)."""
    meeting = access_meeting(request, pk, section=Section.COORDINATE)
    if meeting.kind not in selectors.BOTTLENECK_KINDS:
        messages.error(request, _("Only advisory and steering group agendas take bottlenecks."))
        return redirect("meetings:detail", pk=meeting.pk)
    try:
        added = services.agenda_propose_bottlenecks(meeting=meeting, by=_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request, _("%(count)d bottleneck(s) put on the agenda.") % {"count": len(added)}
        )
    return redirect(_edit_url(meeting))


@require_http_methods(["GET", "HEAD", "POST"])
@object_access(access_agenda_item)
def item_call(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Ask an on-call organisation (Victas, Openbare Orde en Veiligheid) to a case item: the
    coordinator or the case's casemanager. Its representatives then see this item."""
    item = access_agenda_item(request, pk, item_pk, rule=may_call_organisation)
    meeting = item.meeting
    editable = not meeting.is_cancelled and not meeting.minutes_are_final
    form = OnCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_call_organisation(
                item=item, organisation=form.cleaned_data["organisation"], by=_user(request)
            )
        except ValidationError as error:
            form.add_error("organisation", _errors(error))
        else:
            messages.success(
                request,
                _("%(organisation)s is asked to this item; its representatives are invited.")
                % {"organisation": form.cleaned_data["organisation"].name},
            )
            return redirect("meetings:item_call", pk=meeting.pk, item_pk=item.pk)
    (line,) = selectors.agenda_lines(items=AgendaItem.objects.filter(pk=item.pk))
    return render(
        request,
        "meetings/item_call.html",
        {
            "meeting": meeting,
            "line": line,
            "form": form if editable else None,
            "called": selectors.called_invitations(item=item),
            "coordinator": may_plan_meetings(_user(request)),
        },
    )


# --- Bottlenecks -------------------------------------------------------------------------------


def _bottleneck_context(
    request: HttpRequest,
    *,
    form: BottleneckForm | None = None,
    bound: BottleneckResolveForm | None = None,
) -> dict[str, Any]:
    user = _user(request)
    coordinator = may_resolve_bottlenecks(user)
    log = selectors.bottleneck_log_for_user(user=user)
    open_rows = []
    for bottleneck in log.filter(status=BottleneckStatus.OPEN):
        resolve = None
        if coordinator:
            resolve = BottleneckResolveForm(prefix=f"resolve-{bottleneck.pk}")
            if bound is not None and bound.prefix == resolve.prefix:
                resolve = bound
        open_rows.append({"bottleneck": bottleneck, "form": resolve})
    return {
        "form": form or BottleneckForm(prefix="signal"),
        "open_rows": open_rows,
        "resolved": list(
            log.filter(status=BottleneckStatus.RESOLVED).order_by("-resolved_at", "-pk")[:50]
        ),
        "coordinator": coordinator,
        "meetings": (
            list(selectors.meetings_taking_bottlenecks(today=timezone.localdate())[:10])
            if coordinator
            else []
        ),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@rule_required(may_use_bottlenecks)
def bottleneck_list(request: HttpRequest) -> HttpResponse:
    """The bottleneck log: signal one for your organisation; see your organisation's (the
    coordinator: all of them, to resolve or to put on an advisory or steering agenda)."""
    form = BottleneckForm(request.POST or None, prefix="signal")
    if request.method == "POST" and form.is_valid():
        services.bottleneck_signal(**form.cleaned_data, by=_user(request))
        messages.success(request, _("The bottleneck has been sent to the coordinator."))
        return redirect("meetings:bottlenecks")
    return render(request, "meetings/bottlenecks.html", _bottleneck_context(request, form=form))


@require_POST
@object_access(access_bottleneck)
def bottleneck_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator resolves an open bottleneck and writes how."""
    bottleneck: Bottleneck = access_bottleneck(request, pk, to_resolve=True)
    form = BottleneckResolveForm(request.POST, prefix=f"resolve-{bottleneck.pk}")
    if form.is_valid():
        try:
            services.bottleneck_resolve(
                bottleneck=bottleneck, resolution=form.cleaned_data["resolution"], by=_user(request)
            )
        except ValidationError as error:  # resolved already, meanwhile
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The bottleneck is resolved."))
        return redirect("meetings:bottlenecks")
    return render(request, "meetings/bottlenecks.html", _bottleneck_context(request, bound=form))
