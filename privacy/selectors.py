"""Reads of the privacy app: requests and the persons they can be about."""

from __future__ import annotations

import datetime
import operator
from functools import reduce
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cases import extensions
from cases.choices import CaseStatus, PersonRole
from cases.domain.workflow import TERMINAL_STATUSES, retention_variant
from cases.models import Case, CriterionAssessment, JournalEntry, Person, PoliceScreening, Referral
from deadlines import kinds as deadline_kinds
from deadlines import registry as deadlines_registry
from deadlines.domain.state import DueState
from deadlines.selectors import deadline_due_state, due_state, with_deadline

from .deadline_kinds import DATA_SUBJECT_REQUEST
from .models import DataSubjectRequest, RetentionLogEntry

SEARCH_LIMIT = 50


def mentions(person: Any, fields: tuple[str, ...] = ("text", "participants")) -> Any:
    """Free text in `fields` that names the person (full name, or last name of three letters
    or more)."""

    full = " ".join(p for p in [person.first_name, person.last_name] if p).strip()
    names = [n for n in {full, person.last_name.strip()} if len(n) >= 3]
    condition = Q(pk__in=[])
    for name in names:
        for field in fields:
            condition |= Q(**{f"{field}__icontains": name})
    return condition


# An agenda item's texts: its question, the minutes' summary, its decisions and actions.
AGENDA_TEXTS = ("question", "summary", "decisions__text", "decisions__actions__description")


def agenda_items_for_export(*, case_id: int, neighbour: Any = None) -> Any:
    """The case meeting agenda items about a case, with the minutes lines (summary, decisions
    and their actions): every item for a causer or household member; for a neighbour only
    the items that name them. The meetings app sits beside privacy (no import): by label."""

    items = apps.get_model("meetings", "AgendaItem").objects.filter(case_id=case_id)
    if neighbour is not None:
        items = items.filter(pk__in=items.filter(mentions(neighbour, AGENDA_TEXTS)).values("pk"))
    return (
        items.select_related("meeting", "meeting__network")
        .prefetch_related("decisions__actions__organisation")
        .order_by("meeting__date", "position", "pk")
    )


def agenda_item_texts(item: Any) -> list[str]:
    """The free texts of an agenda item and its minutes lines, in reading order."""
    texts = [item.question, item.summary]
    for decision in item.decisions.all():
        texts.append(decision.text)
        texts += [action.description for action in decision.actions.all()]
    return [t for t in texts if t]


def same_person(person: Person) -> list[Person]:
    """Every row of this human being: the same keyed hash of name and date of birth."""
    if not person.person_key:
        return [person]
    return list(Person.objects.filter(person_key=person.person_key).order_by("pk"))


def request_list() -> list[tuple[DataSubjectRequest, DueState | None]]:
    """Every request with its legal deadline (the latest deadline row: the extended one once
    extended) and that deadline's state today; open ones first, earliest due first. One
    query."""
    requests = with_deadline(
        DataSubjectRequest.objects.select_related("person", "person__case"),
        kind=DATA_SUBJECT_REQUEST,
        name="deadline",
        of="subject",
    ).order_by("status", F("deadline_due_on").asc(nulls_last=True), "pk")
    return [(r, due_state(r, "deadline")) for r in requests]


def request_deadline(request: DataSubjectRequest) -> DueState | None:
    """The request's legal deadline (the extended one once extended) and its state today."""
    return deadline_due_state(kind=DATA_SUBJECT_REQUEST, subject=request)


def request_get(*, pk: int) -> DataSubjectRequest:
    return get_object_or_404(
        DataSubjectRequest.objects.select_related("person", "person__case", "registered_by"),
        pk=pk,
    )


def person_search(
    *, last_name: str, date_of_birth: datetime.date | None = None, case_number: str = ""
) -> list[Any]:
    """Persons (not erased) by last name, narrowed by date of birth and/or case number."""
    persons = Person.objects.filter(
        erased_at__isnull=True, last_name__iexact=last_name.strip()
    ).select_related("case")
    if date_of_birth is not None:
        persons = persons.filter(date_of_birth=date_of_birth)
    if case_number.strip():
        persons = persons.filter(case__number__iexact=case_number.strip())
    return list(persons.order_by("case__number", "pk")[:SEARCH_LIMIT])


def person_search_by_pk(*, pk: int) -> Any:
    """The person chosen from the search results (None when erased or unknown)."""
    return Person.objects.filter(erased_at__isnull=True, pk=pk).select_related("case").first()


def retention_overview(*, limit: int = 200) -> dict[str, Any]:
    """What retention will remove next (as `manage.py retention --dry-run`) and what it did."""

    return {
        "years": settings.RETENTION_YEARS_AFTER_CLOSING,
        "cutoff": retention_cutoff(),
        "due": list(retention_due().only("pk", "number", "closed_on", "status")[:limit]),
        "log": list(RetentionLogEntry.objects.order_by("-at", "-pk")[:limit]),
    }


def open_cases_of(*, person: Any) -> list[Any]:
    """Case numbers of the person's cases (same keyed hash) that are still open: erasure may
    not be allowed while the public task needs the data (AVG art. 17(3)(b))."""

    persons = Person.objects.filter(pk=person.pk)
    if person.person_key:
        persons = Person.objects.filter(person_key=person.person_key)
    return list(
        persons.exclude(case__status__in=TERMINAL_STATUSES)
        .values_list("case__number", flat=True)
        .distinct()
    )


# --- Lawful-basis catalogue and review -----------------------------------------------------

# Per kind of shared item: model, the organisation field and the date field shown.
_REVIEW_KINDS: dict[str, tuple[str, str, str]] = {
    "journal": ("JournalEntry", "author_organisation", "created_at"),
    "document": ("Document", "uploaded_by_organisation", "uploaded_at"),
    "screening": ("PoliceScreening", "screened_by_organisation", "requested_on"),
}


def _review_model(kind: str) -> Any:

    return apps.get_model("cases", _REVIEW_KINDS[kind][0])


def basis_review_count() -> int:
    return sum(
        _review_model(kind).objects.filter(basis_to_review=True).count() for kind in _REVIEW_KINDS
    )


def basis_review_row(*, kind: str, item: Any) -> dict[str, Any]:
    """What the officer needs to pick a basis; no content of the item."""
    _model, organisation_field, date_field = _REVIEW_KINDS[kind]
    return {
        "kind": kind,
        "pk": item.pk,
        "case_number": item.case.number,
        "organisation": getattr(item, organisation_field),
        "date": getattr(item, date_field),
        "previous_basis": item.previous_basis,
        "data_category": item.get_data_category_display(),
    }


def basis_review_rows(*, limit: int = 500) -> list[dict[str, Any]]:
    """Items marked for review, oldest first (one query per kind of item)."""
    rows = []
    for kind, (_model, organisation_field, date_field) in _REVIEW_KINDS.items():
        items = (
            _review_model(kind)
            .objects.filter(basis_to_review=True)
            .select_related("case", organisation_field)
            .only(
                "pk",
                "case__number",
                organisation_field + "__name",
                date_field,
                "previous_basis",
                "data_category",
            )
            .order_by(date_field, "pk")[:limit]
        )
        rows += [basis_review_row(kind=kind, item=item) for item in items]
    return rows


def basis_review_item(*, kind: str, pk: int) -> Any:
    """An item still to review, or None (also for an unknown kind or one already reviewed)."""
    if kind not in _REVIEW_KINDS:
        return None
    organisation_field = _REVIEW_KINDS[kind][1]
    return (
        _review_model(kind)
        .objects.filter(pk=pk, basis_to_review=True)
        .select_related("case", organisation_field)
        .first()
    )


def basis_history(*, basis: Any) -> list[Any]:
    """Every version of a catalogue entry, newest first, with who changed it."""
    return list(basis.history.select_related("history_user").order_by("-history_date"))


# --- Review of an access export (AVG art. 15(4)) ----------------------------------------------


def export_review_latest(*, request: Any) -> Any:
    return request.export_reviews.select_related("reviewed_by").first()


def export_released(*, request: Any, review: Any = ...) -> bool:
    """The export may go to the person: it was produced after the latest review (pass the
    latest review when the caller has it already)."""
    if review is ...:
        review = export_review_latest(request=request)
    return bool(
        review is not None
        and request.export_started_at is not None
        and review.reviewed_at <= request.export_started_at
    )


def export_withheld(*, request: Any) -> set[tuple[str, int]]:
    review = export_review_latest(request=request)
    if review is None:
        return set()
    return {(item["kind"], int(item["id"])) for item in review.withheld}


# What the officer reads next to each passage to review.
REVIEW_KIND_LABELS = {
    "person": gettext_lazy("Notes on the person"),
    "case": gettext_lazy("Special situation and waived screening"),
    "referral": gettext_lazy("Referral"),
    "criterion": gettext_lazy("Criterion"),
    "screening": gettext_lazy("Police screening"),
    "journal": gettext_lazy("Journal entry"),
    "agenda_item": gettext_lazy("Agenda item and minutes"),
}


def _kind_label(kind: str) -> Any:
    """Privacy's own kinds, and those of the feature apps' export sections (early signals)."""
    if kind in REVIEW_KIND_LABELS:
        return REVIEW_KIND_LABELS[kind]
    labels = {section.kind: section.kind_label for section in extensions.export_sections()}
    return labels.get(kind, kind)


def _candidate(
    kind: str, pk: int, case: Any, what: str, texts: list[str], withheld: set[tuple[str, int]]
) -> dict[str, Any]:
    return {
        "key": f"{kind}:{pk}",
        "kind": kind,
        "kind_label": _kind_label(kind),
        "id": pk,
        "case_number": case.number,
        "what": what,
        "text": "\n".join(t for t in texts if t),
        "withheld": (kind, pk) in withheld,
    }


def export_review_candidates(*, request: Any) -> list[dict[str, Any]]:
    """The passages of the export that may be about others (AVG art. 15(4)), each with a key
    "<kind>:<id>": the notes on the person, the referrals' description, what was done, the
    reason for urgency (they tell what neighbours and complainants said) and the referrer's
    own reference, the motivations of the special situation and of waiving the screening,
    the criteria's motivations, the police
    screening's advice and details, every journal entry and every agenda item with its
    minutes lines (summary, decisions, actions) the export holds, and the free text of the
    feature apps' sections (each early signal with its notes). With the text, because the
    officer has to read them to decide. A neighbour's export holds only the entries and items
    that name them; the causer's export the whole case. Passages without text are left out."""

    persons = same_person(request.person)
    withheld = export_withheld(request=request)
    full_cases = [p.case_id for p in persons if p.role != PersonRole.NEIGHBOUR]
    rows: list[dict[str, Any]] = []
    notes = Person.objects.filter(pk__in=[p.pk for p in persons]).exclude(notes="")
    for person in notes.select_related("case").order_by("pk"):
        rows.append(
            _candidate(
                "person",
                person.pk,
                person.case,
                str(person.get_role_display()),
                [person.notes],
                withheld,
            )  # fmt: skip
        )
    for case in Case.objects.filter(pk__in=full_cases).order_by("pk"):
        texts = [case.criteria_override_motivation, case.screening_waiver_reason]
        if any(texts):
            rows.append(_candidate("case", case.pk, case, "", texts, withheld))
    for referral in (
        Referral.objects.filter(case_id__in=full_cases)
        .select_related("organisation", "case")
        .order_by("pk")
    ):
        rows.append(
            _candidate(
                "referral",
                referral.pk,
                referral.case,
                f"{referral.organisation} {referral.created_at:%Y-%m-%d}",
                [
                    referral.description,
                    referral.actions_taken,
                    referral.urgency_reason,
                    referral.referrer_reference,
                ],
                withheld,
            )
        )
    for assessment in (
        CriterionAssessment.objects.filter(case_id__in=full_cases)
        .exclude(motivation="")
        .select_related("criterion", "case")
        .order_by("case_id", "criterion__number")
    ):
        rows.append(
            _candidate(
                "criterion",
                assessment.pk,
                assessment.case,
                str(assessment.criterion.number),
                [assessment.motivation],
                withheld,
            )  # fmt: skip
        )
    for screening in (
        PoliceScreening.objects.filter(case_id__in=full_cases)
        .select_related("case")
        .order_by("case_id", "requested_on", "pk")
    ):
        texts = [screening.safety_advice, screening.details]
        if any(texts):
            rows.append(
                _candidate(
                    "screening",
                    screening.pk,
                    screening.case,
                    f"{screening.requested_on:%Y-%m-%d}",
                    texts,
                    withheld,
                )  # fmt: skip
            )
    entries = JournalEntry.objects.filter(case_id__in=full_cases)
    for person in persons:
        if person.role == PersonRole.NEIGHBOUR:
            entries = entries | JournalEntry.objects.filter(
                mentions(person), case_id=person.case_id
            )
    for entry in entries.select_related("author_organisation", "case").order_by(
        "case_id", "occurred_on", "pk"
    ):
        rows.append(
            {
                "key": f"journal:{entry.pk}",
                "kind": "journal",
                "kind_label": REVIEW_KIND_LABELS["journal"],
                "id": entry.pk,
                "case_number": entry.case.number,
                "what": f"{entry.author_organisation} {entry.occurred_on:%Y-%m-%d}",
                "text": entry.text,
                "withheld": ("journal", entry.pk) in withheld,
            }
        )
    for person in persons:
        neighbour = person if person.role == PersonRole.NEIGHBOUR else None
        for item in agenda_items_for_export(case_id=person.case_id, neighbour=neighbour):
            texts = agenda_item_texts(item)
            if texts:
                rows.append(
                    _candidate(
                        "agenda_item",
                        item.pk,
                        person.case,
                        f"{item.meeting.date:%Y-%m-%d}",
                        texts,
                        withheld,
                    )  # fmt: skip
                )
    # Feature apps' data of the case (early signals), through their export sections.
    for person in persons:
        neighbour = person if person.role == PersonRole.NEIGHBOUR else None
        for section in extensions.export_sections():
            for pk, what, texts in section.review(case=person.case, neighbour=neighbour):
                rows.append(_candidate(section.kind, pk, person.case, what, texts, withheld))
    return rows


# --- Retention (the services apply it; the dry run and the overview read it) -------------


def retention_cutoff(
    today: datetime.date | None = None, *, status: CaseStatus = CaseStatus.CLOSED
) -> datetime.date:
    """Cases that ended in `status` and closed on or before this day are past retention:
    the latest closing day whose retention deadline (`deadlines.kinds.RETENTION`, with the
    status's variant) is due by `today`. So the job anonymises a case on the deadline's due
    day, the periods are read from settings in one place (the deadline registry), and a
    case closed on 29 February goes on the 28th five years later, the day it is due."""
    today = today or timezone.localdate()
    return deadlines_registry.get(deadline_kinds.RETENTION).latest_start(
        today, variant=retention_variant(status)
    )


def retention_redirected_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Referrals redirected at intake on or before this day are past their (shorter) period."""
    return retention_cutoff(today, status=CaseStatus.REDIRECTED)


def retention_due(today: datetime.date | None = None) -> Any:
    """Closed or attached cases past retention, and referrals redirected at intake past their
    own shorter period, whose data is still there: each on its retention deadline's due day
    or later."""

    by_cutoff: dict[datetime.date, list[str]] = {}
    for status in sorted(TERMINAL_STATUSES):
        by_cutoff.setdefault(retention_cutoff(today, status=status), []).append(status)
    past = reduce(
        operator.or_,
        (Q(status__in=statuses, closed_on__lte=cutoff) for cutoff, statuses in by_cutoff.items()),
    )
    return Case.objects.filter(past, closed_on__isnull=False, anonymised_at__isnull=True).order_by(
        "closed_on", "pk"
    )
