"""Agenda and minutes as PDF, per recipient organisation (only its items).

`document_context` collects what the document shows as plain values (so a hash of it says
whether a cached PDF is still right); `render_pdf` prints it in the house style
(`woonoverlast/pdf.py`, `templates/pdf/base.html`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation

from partners.models import Organisation
from woonoverlast.pdf import render_html as render_house_html
from woonoverlast.pdf import render_pdf as render_house_pdf

from .choices import DocumentKind
from .current_figures import meeting_figures
from .models import Attendance, Meeting, MinutesAddendum
from .selectors import agenda_items_for_organisation, agenda_lines

TEMPLATES = {
    DocumentKind.AGENDA: "meetings/pdf/agenda.html",
    DocumentKind.MINUTES: "meetings/pdf/minutes.html",
}


def _name(user: Any) -> str:
    return user.get_full_name() or user.email if user else ""


def document_context(
    *, meeting: Meeting, kind: DocumentKind | str, organisation: Organisation | None
) -> dict[str, Any]:
    """Everything the document shows, as plain values."""
    kind = DocumentKind(kind)
    minutes = kind == DocumentKind.MINUTES
    items = agenda_items_for_organisation(meeting=meeting, organisation=organisation)
    with translation.override("nl"):
        lines = [
            {
                "number": line.number,
                "initials": line.initials,
                "street": line.street,
                "phase": str(line.phase),
                "title": line.item.title,
                "source": str(line.item.get_source_display()),
                "question": line.question,
                "summary": line.item.summary if minutes and line.view.question else "",
                "decisions": [
                    {
                        "text": decision.text,
                        "actions": [
                            {
                                "organisation": action.organisation.name,
                                "person": _name(action.person),
                                "due_on": action.due_on,
                                "description": action.description,
                            }
                            for action in decision.actions.all()
                        ],
                    }
                    for decision in line.decisions
                ]
                if line.view.question
                else [],
            }
            for line in agenda_lines(items=items, with_minutes=minutes, organisation=organisation)
        ]
        context: dict[str, Any] = {
            "kind": kind.value,
            "meeting": {
                "pk": meeting.pk,
                "kind": str(meeting.get_kind_display()),
                "is_case_meeting": meeting.is_case_meeting,
                "network": meeting.network.name if meeting.network is not None else "",
                "date": meeting.date,
                "start_time": meeting.start_time,
                "end_time": meeting.end_time,
                "location": meeting.location,
                "chair": _name(meeting.chair),
                "cancelled": meeting.is_cancelled,
                "minutes_final": meeting.minutes_are_final,
            },
            "recipient": organisation.name if organisation else "",
            "lines": lines,
            "figures": _figures(meeting) if kind == DocumentKind.AGENDA else None,
        }
    if minutes:
        context["attendance"] = [
            {"organisation": a.organisation.name, "person": _name(a.user), "present": a.present}
            for a in Attendance.objects.filter(meeting=meeting).select_related(
                "organisation", "user"
            )
        ]
        context["addenda"] = [
            {"date": timezone.localdate(a.created_at), "text": a.text}
            for a in MinutesAddendum.objects.filter(meeting=meeting).order_by("created_at", "pk")
        ]
    return context


def _figures(meeting: Meeting) -> dict[str, Any] | None:
    """The figures an advisory or steering agenda attaches (the same for every recipient:
    aggregates only); None when the meeting discusses none or no figures app registered."""
    figures = meeting_figures(meeting=meeting, today=timezone.localdate())
    if figures is None:
        return None
    return {
        "start": figures.start,
        "end": figures.end,
        "tables": [
            {
                "title": table.title,
                "definition": table.definition,
                "columns": list(table.columns),
                "rows": [list(row) for row in table.rows],
            }
            for table in figures.tables
        ],
    }


def content_hash(context: dict[str, Any]) -> str:
    data = json.dumps(context, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def render_html(context: dict[str, Any]) -> str:
    return render_house_html(
        TEMPLATES[DocumentKind(context["kind"])], context, recipient=_recipient(context)
    )


def _recipient(context: dict[str, Any]) -> str:
    if context["recipient"]:
        return context["recipient"]
    with translation.override("nl"):
        return str(translation.gettext("the coordinator (full version)"))


def render_pdf(context: dict[str, Any]) -> bytes:
    return render_house_pdf(
        TEMPLATES[DocumentKind(context["kind"])], context, recipient=_recipient(context)
    )
