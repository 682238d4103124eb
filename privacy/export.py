"""The access export (AVG art. 15): everything held on a person, as JSON and as a PDF.

`collect()` is the selector: every record in which the person appears (their person rows in
every case, the cases, referrals, criteria, KRIS check, screenings, involvements, journal
and document list, status changes, the case meetings' agenda items and minutes lines about
them, and what feature apps registered for a case: the early signals), the change history of those rows, and the read log of their data. Who changed or read
the data is named by organisation and role, not by the employee's name. Passages the privacy
officer withheld after the review (AVG art. 15(4); `selectors.export_review_candidates`)
are replaced by a mark. `run()` is what the Celery task does: it locks the request, reports progress on
the request row (the page polls it), and stores the two files.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import readlog
from cases import extensions
from cases.choices import Background, NuisanceForm, PersonRole
from cases.models import Case, KrisCheck, Person
from partners.choices import Role

from .history import SYSTEM_EMAIL
from .models import DataSubjectRequest, ExportState
from .selectors import (
    agenda_item_texts,
    agenda_items_for_export,
    export_withheld,
    mentions,
    same_person,
)

CSS = Path(__file__).resolve().parent / "export.css"


def _name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


Withheld = frozenset[tuple[str, int]]


def _actor(user: Any, cache: dict[int, tuple[str, str]]) -> tuple[str, str]:
    """Who changed the data as the person may know it: the organisation and the role, not
    the employee's name (their own personal data; AVG art. 15(1)(c) asks for recipients).
    The roles are read from the groups, also of a user no longer active."""
    if user is None:
        return "", ""
    if user.pk not in cache:
        if user.email == SYSTEM_EMAIL:
            cache[user.pk] = (str(_("The system (an automatic task)")), "")
        else:
            codes = {role.value for role in Role}
            names = user.groups.filter(name__in=codes).values_list("name", flat=True)
            cache[user.pk] = (str(user.organisation or ""), _role_labels(sorted(names)))
    return cache[user.pk]


def _history(
    queryset: Any,
    fields: list[str],
    *,
    passages: tuple[str, ...] = (),
    kind: str = "",
    withheld: Withheld = frozenset(),
) -> list[dict[str, Any]]:
    """The change history of rows; the `passages` fields follow the review like the row
    itself (kind `kind`, the row's id)."""
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    actors: dict[int, tuple[str, str]] = {}
    rows = []
    for row in queryset.select_related("history_user", "history_user__organisation").order_by(
        "history_date"
    ):
        organisation, role = _actor(row.history_user, actors)
        values = {name: getattr(row, name) for name in fields}
        for name in passages:
            values[name] = _passage(withheld, kind, row.id, values[name])
        rows.append(
            {
                "at": row.history_date,
                "change": kinds.get(row.history_type, row.history_type),
                "by_organisation": organisation,
                "by_role": role,
                "reason": row.history_change_reason or "",
                "values": values,
            }
        )
    return rows


def _basis(item: Any) -> str:
    """The lawful basis as the catalogue names it, or that it is still being reviewed."""
    if item.lawful_basis is None:
        return str(_("To be reviewed by the privacy officer"))
    return str(item.lawful_basis)


def _passage(withheld: frozenset[tuple[str, int]], kind: str, pk: int, text: str) -> str:
    """The text, or the mark that the privacy officer withheld it (AVG art. 15(4))."""
    if (kind, pk) in withheld and text:
        return _withheld_mark()
    return text


def _withheld_mark() -> str:
    return str(_("[Withheld: this passage is about other persons (AVG art. 15(4)).]"))


def _person(person: Any, withheld: Withheld = frozenset()) -> dict[str, Any]:
    return {
        "id": person.pk,
        "case": person.case.number,
        "role": person.get_role_display(),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
        "phone": person.phone,
        "notes": _passage(withheld, "person", person.pk, person.notes),
        "notes_withheld": ("person", person.pk) in withheld,
        "consents_to_contact": person.consents_to_contact,
        "processing_restricted": person.is_restricted,
        "recorded_at": person.created_at,
    }


def _case(case: Any, withheld: frozenset[tuple[str, int]] = frozenset()) -> dict[str, Any]:

    nuisance, background = dict(NuisanceForm.choices), dict(Background.choices)
    return {
        "number": case.number,
        "status": case.get_status_display(),
        "address": {
            "street": case.street,
            "house_number": case.house_number,
            "addition": case.house_number_addition,
            "postcode": case.postcode,
            "city": case.city,
        },
        "district": str(case.district or ""),
        "network": str(case.network or ""),
        "housing_type": case.get_housing_type_display(),
        "owning_corporation": str(case.corporation or ""),
        "casemanager": _name(case.casemanager),
        "referred_on": case.referred_on,
        "accepted_on": case.accepted_on,
        "closed_on": case.closed_on,
        "repeat_referral": case.is_repeat_referral,
        "special_situation": case.criteria_override,
        "criteria_override_motivation": _passage(
            withheld, "case", case.pk, case.criteria_override_motivation
        ),
        "screening_waiver_reason": _passage(
            withheld, "case", case.pk, case.screening_waiver_reason
        ),
        "referrals": [
            {
                "organisation": str(r.organisation),
                "submitted_at": r.submitted_at,
                "referrer_reference": _passage(withheld, "referral", r.pk, r.referrer_reference),
                "nuisance_forms": [str(nuisance.get(f, f)) for f in r.nuisance_forms],
                "nuisance_since": r.nuisance_since,
                "suspected_background": [str(background.get(b, b)) for b in r.backgrounds],
                "description": _passage(withheld, "referral", r.pk, r.description),
                "already_done": _passage(withheld, "referral", r.pk, r.actions_taken),
                "withheld": ("referral", r.pk) in withheld,
                "urgent": r.is_urgent,
                "urgency_reason": _passage(withheld, "referral", r.pk, r.urgency_reason),
            }
            for r in case.referrals.select_related("organisation").order_by("created_at")
        ],
        "criteria": [
            {
                "criterion": a.criterion.number,
                "text": a.criterion.text,
                "met": a.is_met,
                "motivation": _passage(withheld, "criterion", a.pk, a.motivation),
            }
            for a in case.criterion_assessments.select_related("criterion").order_by(
                "criterion__number"
            )
        ],
        "involved_organisations": [
            {"organisation": str(i.organisation), "since": i.added_at, "until": i.ended_at}
            for i in case.involvements.select_related("organisation").order_by("added_at")
        ],
        "kris_check": _kris(case),
        "police_screenings": [
            {
                "requested_on": s.requested_on,
                "risk_level": s.get_risk_level_display(),
                "safety_advice": _passage(withheld, "screening", s.pk, s.safety_advice),
                "details": _passage(withheld, "screening", s.pk, s.details),
                "withheld": ("screening", s.pk) in withheld,
                "shared_by": str(s.screened_by_organisation or ""),
                "lawful_basis": _basis(s),
                "consent_date": s.consent_date,
            }
            for s in case.police_screenings.select_related(
                "screened_by_organisation", "lawful_basis"
            )
        ],
        "journal": [
            {
                "date": e.occurred_on,
                "kind": e.get_kind_display(),
                "author_organisation": str(e.author_organisation),
                "participants": _passage(withheld, "journal", e.pk, e.participants),
                "text": _passage(withheld, "journal", e.pk, e.text),
                "withheld": ("journal", e.pk) in withheld,
                "confidentiality": e.get_confidentiality_display(),
                "lawful_basis": _basis(e),
                "consent_date": e.consent_date,
            }
            for e in case.journal_entries.select_related(
                "author_organisation", "lawful_basis"
            ).order_by("occurred_on", "pk")
        ],
        "documents": [
            {
                "title": d.title,
                "uploaded_at": d.uploaded_at,
                "uploaded_by_organisation": str(d.uploaded_by_organisation),
                "size": d.size,
                "lawful_basis": _basis(d),
            }
            for d in case.documents.select_related(
                "uploaded_by_organisation", "lawful_basis"
            ).order_by("uploaded_at")
        ],
        "status_changes": [
            {
                "at": c.at,
                "from": c.get_from_status_display(),
                "to": c.get_to_status_display(),
                "motivation": c.motivation,
            }
            for c in case.status_changes.order_by("at", "pk")
        ],
        "meetings": _meetings(case, withheld),
        **_feature_sections(case, withheld),
    }


def _feature_sections(
    case: Any, withheld: Withheld, neighbour: Any = None
) -> dict[str, list[dict[str, Any]]]:
    """What feature apps above cases hold of the case (early signals), through their
    registered export sections (cases/extensions.py): privacy may not import them."""
    return {
        section.key: section.data(
            case=case, withheld=withheld, mark=_withheld_mark(), neighbour=neighbour
        )
        for section in extensions.export_sections()
    }


def _meetings(case: Any, withheld: Withheld, neighbour: Any = None) -> list[dict[str, Any]]:
    """The case meetings' agenda items about the case with their minutes lines (summary,
    decisions and the actions they ask); a neighbour's export only the items naming them."""
    rows = []
    for item in agenda_items_for_export(case_id=case.pk, neighbour=neighbour):
        key = ("agenda_item", item.pk)
        hidden = key in withheld and bool(agenda_item_texts(item))
        mark = _withheld_mark() if hidden else ""
        rows.append(
            {
                "meeting": str(item.meeting.network or item.meeting.get_kind_display()),
                "date": item.meeting.date,
                "question": mark or item.question,
                "minutes_summary": mark or item.summary,
                "decisions": [
                    {
                        "text": mark or decision.text,
                        "actions": [
                            {
                                "organisation": str(action.organisation),
                                "due_on": action.due_on,
                                "description": mark or action.description,
                            }
                            for action in decision.actions.all()
                        ],
                    }
                    for decision in item.decisions.all()
                ],
                "withheld": hidden,
            }
        )
    return rows


def _kris(case: Any) -> dict[str, Any] | None:

    check = KrisCheck.objects.filter(case=case).first()
    if check is None:
        return None
    return {
        "result": check.get_result_display(),
        "trajectory_manager": check.trajectory_manager_name,
        "trajectory_manager_organisation": check.trajectory_manager_organisation,
        "target_group_check": check.target_group_outcome,
        "referred_to_altrecht": check.referred_to_altrecht,
    }


def _role_labels(codes: list[str]) -> str:
    labels = []
    for code in codes:
        try:
            labels.append(str(Role(code).label))
        except ValueError:
            labels.append(code)
    return ", ".join(labels)


def _read_log(persons: list[Any]) -> list[dict[str, Any]]:
    """Who viewed the person's data: the organisation and the role of the reader, not the
    employee's name (the person has a right to know the recipients, AVG art. 15(1)(c); the
    employee's name is their own personal data)."""
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    for person in persons:
        for entry in readlog.entries_for_person(
            person_id=person.pk, case_id=person.case_id
        ).select_related("organisation"):
            if entry.pk in seen:
                continue
            seen.add(entry.pk)
            rows.append(
                {
                    "at": entry.at,
                    "organisation": str(entry.organisation or ""),
                    "role": _role_labels(entry.roles),
                    "what": entry.get_what_display(),
                    "basis": entry.get_basis_display(),
                }
            )
    return sorted(rows, key=lambda row: row["at"])


PERSON_HISTORY_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "notes",
    "role",
    "consents_to_contact",
    "is_restricted",
]
CASE_HISTORY_FIELDS = ["status", "street", "house_number", "postcode", "city", "housing_type"]


def _case_for_neighbour(
    case: Any, person: Any, withheld: frozenset[tuple[str, int]] = frozenset()
) -> dict[str, Any]:
    """A neighbour's export holds their own data, not the causer's (AVG art. 15(4)): the case
    number and status, and the journal entries that name them; no referral, screening,
    criteria or documents about the household causing the nuisance."""
    return {
        "number": case.number,
        "status": case.get_status_display(),
        "address": {},
        "referrals": [],
        "criteria": [],
        "involved_organisations": [],
        "kris_check": None,
        "police_screenings": [],
        "documents": [],
        "status_changes": [],
        "meetings": _meetings(case, withheld, neighbour=person),
        **_feature_sections(case, withheld, neighbour=person),
        "journal": [
            {
                "date": e.occurred_on,
                "kind": e.get_kind_display(),
                "author_organisation": str(e.author_organisation),
                "participants": _passage(withheld, "journal", e.pk, e.participants),
                "text": _passage(withheld, "journal", e.pk, e.text),
                "withheld": ("journal", e.pk) in withheld,
                "confidentiality": e.get_confidentiality_display(),
                "lawful_basis": _basis(e),
                "consent_date": e.consent_date,
            }
            for e in case.journal_entries.filter(mentions(person))
            .select_related("author_organisation", "lawful_basis")
            .order_by("occurred_on", "pk")
        ],
        "limited_to_the_person": True,
    }


def collect(
    request: DataSubjectRequest, progress: Callable[[int], None] = lambda _p: None
) -> dict[str, Any]:
    """Everything held on the person of `request`, as plain data (dates as objects)."""

    persons = [
        Person.objects.select_related("case").get(pk=p.pk) for p in same_person(request.person)
    ]
    progress(10)
    cases = list(
        Case.objects.filter(pk__in={p.case_id for p in persons}).select_related(
            "district", "network", "corporation", "casemanager"
        )
    )
    case_data = []
    role_in = {p.case_id: p for p in persons}
    withheld = frozenset(export_withheld(request=request))
    for index, case in enumerate(cases, start=1):
        person = role_in[case.pk]
        if person.role == PersonRole.NEIGHBOUR:
            case_data.append(_case_for_neighbour(case, person, withheld))
        else:
            case_data.append(_case(case, withheld))
        progress(10 + int(50 * index / max(len(cases), 1)))
    history = {
        "persons": [
            _history(
                Person.history.filter(id=p.pk),
                PERSON_HISTORY_FIELDS,
                passages=("notes",),
                kind="person",
                withheld=withheld,
            )
            for p in persons
        ],
        "cases": {
            c.number or str(c.pk): _history(Case.history.filter(id=c.pk), CASE_HISTORY_FIELDS)
            for c in cases
            if role_in[c.pk].role != PersonRole.NEIGHBOUR
        },
    }
    progress(75)
    read_log = _read_log(persons)
    progress(85)
    return {
        "generated_at": timezone.now(),
        "controller": settings.PRIVACY_CONTROLLER,
        "request": {
            "id": request.pk,
            "kind": request.get_kind_display(),
            "received_on": request.received_on,
        },
        "persons": [_person(p, withheld) for p in persons],
        "cases": case_data,
        "history": history,
        "read_log": read_log,
    }


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def to_pdf(data: dict[str, Any]) -> bytes:
    import weasyprint  # noqa: PLC0415 - heavy (Pango, fonts): loaded by the worker that renders

    # The installation's language (the person's copy), not whoever's request started it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("privacy/export_pdf.html", {"data": data})
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[weasyprint.CSS(filename=CSS)])


def _progress(pk: int) -> Callable[[int], None]:
    def report(percent: int) -> None:
        DataSubjectRequest.objects.filter(pk=pk).update(task_progress=min(percent, 99))

    return report


def run(request_pk: int) -> bool:
    """The task body: produce both files once. False when there is nothing (left) to do."""
    with transaction.atomic():
        request = (
            DataSubjectRequest.objects.select_for_update(skip_locked=True)
            .filter(pk=request_pk, task_state__in=[ExportState.QUEUED, ExportState.RUNNING])
            .first()
        )
        if request is None:
            return False
        DataSubjectRequest.objects.filter(pk=request_pk).update(
            task_state=ExportState.RUNNING, export_started_at=timezone.now(), task_progress=1
        )
    request.refresh_from_db()
    try:
        data = collect(request, _progress(request_pk))
        json_bytes = to_json(data)
        pdf_bytes = to_pdf(data)
    except Exception as error:
        DataSubjectRequest.objects.filter(pk=request_pk).update(
            task_state=ExportState.FAILED, task_error=type(error).__name__
        )
        raise
    name = uuid.uuid4().hex
    storage = request.export_json.storage
    new_names: list[str] = []
    try:
        with transaction.atomic():
            current = DataSubjectRequest.objects.select_for_update().get(pk=request_pk)
            if current.task_state != ExportState.RUNNING:
                # Another run of the same task (queued again, or redelivered while this one
                # was still working) finished first: its files stand, this run writes none.
                return False
            old_names = [n for n in (current.export_json.name, current.export_pdf.name) if n]
            request.export_json.save(f"{name}.json", ContentFile(json_bytes), save=False)
            new_names.append(request.export_json.name or "")
            request.export_pdf.save(f"{name}.pdf", ContentFile(pdf_bytes), save=False)
            new_names.append(request.export_pdf.name or "")
            DataSubjectRequest.objects.filter(pk=request_pk).update(
                export_json=new_names[0],
                export_pdf=new_names[1],
                task_state=ExportState.DONE,
                task_progress=100,
                export_finished_at=timezone.now(),
            )
            # An earlier export of the same request goes once this one is committed.
            transaction.on_commit(lambda: _delete(storage, old_names))
    except BaseException:
        _delete(storage, new_names)  # not committed: no personal data left unreferenced
        raise
    return True


def _delete(storage: Any, names: list[str]) -> None:
    for old in names:
        if storage.exists(old):
            storage.delete(old)
