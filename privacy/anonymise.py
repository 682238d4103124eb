"""The mechanics of removing personal data: used by erasure (one person) and retention (a
whole closed case). Services decide *whether*; this module only knows *how*.

What goes is derived from `privacy/register.py`: every field classified with a category of
the persons in a case (name, contact, address, notes, health, criminal, …) is emptied in the
table **and in its history table**; the read log loses the detail through
`audit.readlog.redact_*`; document files are deleted from disk. What stays is listed in
`KEEP`: the structure of the case and what the figures of DOMAIN.md §10 need (referring
organisation, district, nuisance forms, decision and dates), the keyed hashes for the
recidivism check until its window has passed (`services.recidivism_keys_purge`), and the
professionals' names (their accountability). The suspected backgrounds, the KRIS result and
the Altrecht flag are health data and go with the rest.

Meetings (a sibling app privacy may not import; models by label): an agenda item hangs off
its case, a decision off its item and an intended action off its decision (`THROUGH`), so
their texts go with the case. A minutes addendum belongs to a whole meeting and may be about
other cases: only the names of the case's persons leave it (`MEETING_TEXTS`). The cached
PDFs of those meetings are deleted through the purges registered in `cases.purge`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import F, Func, Value, When
from django.utils import timezone

from audit import readlog
from cases import purge
from cases.models import Document, Person

from . import register
from .models import DataSubjectRequest

# The name an erased or anonymised person keeps (stored data, not a UI string).
TOMBSTONE_NAME = "Verwijderd"
NAME_PLACEHOLDER = "[verwijderd]"

# Categories that belong to the professionals or are pseudonymous: kept.
KEPT_CATEGORIES = frozenset(
    {
        register.Category.PROFESSIONAL,
        register.Category.PSEUDONYM,
        register.Category.AUDIT,
        register.Category.AUTHENTICATION,
    }
)

# Fields kept although classified as personal: the figures and the case structure need them.
KEEP = frozenset(
    {
        "cases.Case.housing_type",
        "cases.Case.corporation",
        "cases.Referral.nuisance_forms",
        "cases.Person.role",
        "cases.Person.is_restricted",
        "cases.CaseInvolvement.organisation",
        "cases.CriterionAssessment.is_met",
        "cases.JournalEntry.occurred_on",
        "cases.JournalEntry.consent_date",
        "cases.Document.consent_date",
        "cases.PoliceScreening.consent_date",
        # The outcome of a case (DOMAIN.md §5 and §10): the figures count them.
        "cases.Evaluation.neighbours_outcome",
        "cases.Evaluation.partners_outcome",
        "cases.Evaluation.resolved_at_sources",
        "cases.Evaluation.housing_outcome",
        "cases.Evaluation.follow_up",
        "cases.Evaluation.passed_on_to",
        "cases.Evaluation.early_end_reason",
        "cases.GoalEvaluation.result",
    }
)

# Free texts a check constraint requires in some rows (a cancelled action has a reason):
# where filled they become the placeholder instead of empty, so the row stays valid.
REQUIRED_WHEN_FILLED = frozenset({"cases.Action.cancel_reason"})

# Models handled on their own (persons get a tombstone; requests keep their dates).
SEPARATE = frozenset(
    {"cases.Person", "privacy.DataSubjectRequest", "audit.ReadLogEntry", "audit.RefusedAccess"}
)


# Models that reach their case through a parent: label -> (foreign key, parent's label).
THROUGH: dict[str, tuple[str, str]] = {
    "meetings.Decision": ("item", "meetings.AgendaItem"),
    "meetings.IntendedAction": ("decision", "meetings.Decision"),
}

# Free texts of a whole meeting (which may be about other cases too): label -> text fields.
# Only the names of the case's persons are taken out of them.
MEETING_TEXTS: dict[str, tuple[str, ...]] = {"meetings.MinutesAddendum": ("text",)}


def _case_filter(model: type[models.Model], case_pk: int) -> dict[str, Any]:
    if model._meta.label == "cases.Case":
        return {"pk": case_pk}
    if model._meta.label in THROUGH:
        key, parent = THROUGH[model._meta.label]
        return {f"{key}_id__in": _ids_of(apps.get_model(parent), case_pk)}
    return {"case_id": case_pk}


def _ids_of(model: type[models.Model], case_pk: int) -> list[int]:
    """Ids of the rows of `model` that belong or once belonged to the case (its history
    keeps the items moved away or deleted too)."""
    live, history = _rows(model, case_pk)
    ids = set(live.values_list("pk", flat=True))
    if history is not None:
        ids |= set(history.values_list("id", flat=True))
    return sorted(ids)


def case_models() -> list[type[models.Model]]:
    """Registered models that hang off a case (or are the case), directly or through a
    parent (`THROUGH`)."""
    result = []
    for label in register.PERSONAL_DATA:
        if label in SEPARATE:
            continue
        model = apps.get_model(label)
        names = {f.name for f in model._meta.concrete_fields}
        if label == "cases.Case" or "case" in names or label in THROUGH:
            result.append(model)
    return result


def meeting_text_rows(case_pk: int) -> list[tuple[models.QuerySet, list[str]]]:
    """The meeting-wide texts (and their history) of the meetings that discussed the case."""
    item = apps.get_model("meetings.AgendaItem")
    meeting_ids = set(item.objects.filter(case_id=case_pk).values_list("meeting_id", flat=True))
    meeting_ids |= set(
        item.history.model.objects.filter(case_id=case_pk).values_list("meeting_id", flat=True)
    )
    result = []
    for label, fields in MEETING_TEXTS.items():
        model = apps.get_model(label)
        result.append((model._default_manager.filter(meeting_id__in=meeting_ids), list(fields)))
        history = _history_model(model)
        if history is not None:
            result.append(
                (history._default_manager.filter(meeting_id__in=meeting_ids), list(fields))
            )
    return result


def _is_text(field: models.Field) -> bool:
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def _blank_value(field: models.Field) -> Any:
    """The empty value of a field, or `...` when it cannot be emptied (kept)."""
    if field.is_relation:
        return ...
    if isinstance(field, ArrayField):
        return []
    if isinstance(field, models.BooleanField):
        return None if field.null else False
    if isinstance(field, models.FileField | models.CharField | models.TextField):
        return ""
    if field.null and isinstance(field, models.DateField | models.IntegerField):
        return None
    return ...


def removable_fields(model: type[models.Model]) -> dict[str, Any]:
    """Field name → empty value for the personal data of `model` that retention removes."""
    entry = register.PERSONAL_DATA[model._meta.label]
    result = {}
    for name, categories in entry.fields.items():
        if set(categories) <= KEPT_CATEGORIES or f"{model._meta.label}.{name}" in KEEP:
            continue
        value = _blank_value(_field(model, name))
        if f"{model._meta.label}.{name}" in REQUIRED_WHEN_FILLED:
            value = SqlCase(
                When(**{name: ""}, then=Value("")),
                default=Value(NAME_PLACEHOLDER),
                output_field=models.TextField(),
            )
        if value is not ...:
            result[name] = value
    return result


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A field the register lists: always a concrete field of the model, never a relation's
    reverse side."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model._meta.label}.{name} is not a field"
    return field


def text_fields(model: type[models.Model]) -> list[str]:
    """Free-text fields of `model` in the register (where a name can be typed)."""
    entry = register.PERSONAL_DATA[model._meta.label]
    return [name for name in entry.fields if _is_text(_field(model, name))]


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    history = getattr(model, "history", None)
    return getattr(history, "model", None)


def _rows(
    model: type[models.Model], case_pk: int
) -> tuple[models.QuerySet, models.QuerySet | None]:
    live = model._default_manager.filter(**_case_filter(model, case_pk))
    history_model = _history_model(model)
    if history_model is None:
        return live, None
    if model._meta.label == "cases.Case":
        return live, history_model._default_manager.filter(id=case_pk)
    if model._meta.label in THROUGH:
        return live, history_model._default_manager.filter(**_case_filter(model, case_pk))
    # History rows of items that once belonged to the case (also deleted or moved ones).
    return live, history_model._default_manager.filter(case_id=case_pk)


# --- Persons -------------------------------------------------------------------------------


def tombstone_person(person: Any, *, reason: str, by: Any = None) -> int:
    """Replace the person by a tombstone, in the table and in every history row of them.

    Keeps the role, the case and the keyed hash (recidivism). Returns history rows changed."""

    values = {
        "first_name": "",
        "last_name": TOMBSTONE_NAME,
        "date_of_birth": None,
        "phone": "",
        "notes": "",
        "consents_to_contact": False,
    }
    person = Person.objects.get(pk=person.pk)
    for name, value in values.items():
        setattr(person, name, value)
    person.erased_at = timezone.now()
    person._change_reason = reason[:100]
    if by is not None:
        person._history_user = by
    person.save()
    return Person.history.model.objects.filter(id=person.pk).update(**values)


def _name_pattern(person: Any, *, shared: set[str] = frozenset()) -> str | None:  # type: ignore[assignment]
    """A PostgreSQL regular expression for the person's name and date of birth in free text.

    The full name always; the last or first name alone only when no other person of the case
    bears it (a mother's "Smit" stays when her son is erased)."""
    parts: list[str] = []
    full = " ".join(p for p in [person.first_name, person.last_name] if p).strip()
    for candidate in [full, person.last_name, person.first_name]:
        candidate = (candidate or "").strip()
        if (
            len(candidate) >= 2
            and candidate != TOMBSTONE_NAME
            and candidate not in parts
            and (candidate == full or candidate.casefold() not in shared)
        ):
            parts.append(candidate)
    day: datetime.date | None = person.date_of_birth
    dates = []
    if day is not None:
        dates = [
            day.isoformat(),
            f"{day.day}-{day.month}-{day.year}",
            f"{day.day:02d}-{day.month:02d}-{day.year}",
            f"{day.day}/{day.month}/{day.year}",
            f"{day.day:02d}/{day.month:02d}/{day.year}",
        ]
    alternatives = [re.escape(p) for p in parts + dates]
    if not alternatives:
        return None
    return r"\m(?:" + "|".join(alternatives) + r")\M"


def replace_in_text(queryset: models.QuerySet, fields: Iterable[str], pattern: str) -> int:
    """Replace every match of `pattern` (case-insensitive) in `fields`, in SQL."""
    changes = {
        name: Func(
            F(name), Value(pattern), Value(NAME_PLACEHOLDER), Value("gi"), function="regexp_replace"
        )
        for name in fields
    }
    if not changes:
        return 0
    return queryset.update(**changes)


def remove_name_from_case(person: Any) -> int:
    """The person's name and date of birth out of every free text of their case and history
    (also the notes on the other persons of the case)."""

    others = Person.objects.filter(case_id=person.case_id).exclude(pk=person.pk)
    shared = {
        name.casefold()
        for first, last in others.values_list("first_name", "last_name")
        for name in (first, last)
        if name
    }
    pattern = _name_pattern(person, shared=shared)
    if pattern is None:
        return 0
    changed = 0
    for model in case_models():
        fields = text_fields(model)
        live, history = _rows(model, person.case_id)
        changed += replace_in_text(live, fields, pattern)
        if history is not None:
            changed += replace_in_text(history, fields, pattern)
    for queryset, text in meeting_text_rows(person.case_id):
        changed += replace_in_text(queryset, text, pattern)
    changed += replace_in_text(others, ["notes"], pattern)
    changed += replace_in_text(
        Person.history.model.objects.filter(case_id=person.case_id).exclude(id=person.pk),
        ["notes"],
        pattern,
    )
    return changed


# --- Documents and exports -----------------------------------------------------------------


def delete_files(files: Iterable[Any]) -> int:
    """Delete stored files (FieldFile values or names, as history rows keep them) from disk;
    returns how many existed."""

    deleted = 0
    for file in files:
        name = file if isinstance(file, str) else getattr(file, "name", "")
        storage = default_storage if isinstance(file, str) else file.storage
        if name and storage.exists(name):
            storage.delete(name)
            deleted += 1
    return deleted


def clear_requests_of(persons: Iterable[Any]) -> int:
    """Earlier requests of these persons: contact details, notes and export files go."""

    requests = list(DataSubjectRequest.objects.filter(person__in=list(persons)))
    deleted = delete_files([r.export_json for r in requests] + [r.export_pdf for r in requests])
    DataSubjectRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        requester_name="",
        requester_contact="",
        notes="",
        rectification="",
        export_json="",
        export_pdf="",
    )
    return deleted


# --- A whole case (retention) ----------------------------------------------------------------


def anonymise_case(case: Any) -> dict[str, int]:
    """Remove the personal data of `case` everywhere; returns counts for the retention log.

    Run inside a transaction, as the system actor (history rows name it)."""

    counts: dict[str, int] = {"persons": 0, "rows": 0, "history_rows": 0, "files": 0}
    documents = list(Document.objects.filter(case_id=case.pk))
    history_documents = list(Document.history.model.objects.filter(case_id=case.pk))
    counts["files"] = delete_files(
        [d.file for d in documents] + [h.file for h in history_documents if h.file]
    )
    persons = list(Person.objects.filter(case_id=case.pk))
    meeting_texts = meeting_text_rows(case.pk)
    for person in persons:
        pattern = _name_pattern(person)
        if pattern is not None:
            for queryset, text in meeting_texts:
                counts["rows"] += replace_in_text(queryset, text, pattern)
    for person in persons:
        counts["history_rows"] += tombstone_person(person, reason="retention")
        counts["persons"] += 1
    clear_requests_of(persons)
    for model in case_models():
        values = removable_fields(model)
        if not values:
            continue
        live, history = _rows(model, case.pk)
        counts["rows"] += live.update(**values)
        if history is not None:
            counts["history_rows"] += history.update(**values)
    counts["read_log_rows"] = readlog.redact_for_case(case_id=case.pk)
    counts.update(purge.case_purges_run(case=case))
    return counts
