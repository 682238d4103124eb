"""'What changed, by whom, when' for one case: field-level diffs from django-simple-history.

The same visibility rules as the items themselves (cases/access.py): journal entries and
documents only as far as the user may read them, intake records (criteria, KRIS, the
special-situation motivation and the screening waiver) for the case team, police screenings
for police, casemanager and coordinator; a corporation's reason for its consent answer for
the case team and that corporation. What the case page keeps for the case team and the
organisations it was shared with (`access.may_see_sensitive_details`: the referral's suspected
backgrounds and description, neighbours' phone numbers) stays out of the history for everyone
else too, and so do persons whose processing is restricted (`access.visible_persons`).

A fixed number of queries however long the history is: one per kind of item, one per kind
of referenced object (users, organisations, ...) to name foreign keys. Diffs are computed in
Python between consecutive rows of the same object (`diff_against`, m2m fields excluded so it
reads nothing).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import Organisation, User

from . import access, extensions
from .choices import PersonRole
from .models import (
    Case,
    CaseInvolvement,
    ConsentRequest,
    Criterion,
    CriterionAssessment,
    Document,
    JournalEntry,
    KrisCheck,
    Person,
    PoliceScreening,
    Referral,
)

# Bookkeeping columns that are no news to a reader (keys are keyed hashes; versions count).
NOT_SHOWN = frozenset(
    {
        "id",
        "created_at",
        "updated_at",
        "version",
        "person_key",
        "address_key",
        "assessed_at",
        "recorded_at",
        "file",
        "case",
        "visible_to",
    }
)

# Fields of the case's intake: for the case team only, as on the intake page.
TEAM_ONLY_FIELDS: dict[str, frozenset[str]] = {
    "case": frozenset(
        {
            "criteria_override",
            "criteria_override_motivation",
            "screening_waiver_reason",
            "screening_waived_by",
            "screening_waived_on",
        }
    ),
}

# Privacy by default (AVG art. 25(2)): for the case team, and the organisations it shared
# them with. A person's phone only when the person is (or was) a neighbour.
SENSITIVE_FIELDS: dict[str, frozenset[str]] = {
    "referral": frozenset({"backgrounds", "description"}),
}
NEIGHBOUR_CONTACT_FIELDS = frozenset({"phone"})

# A corporation's reason for its consent answer: the intake page shows it to the case team,
# the answer page to that corporation; other partners do not see it.
CONSENT_REASON_FIELDS = frozenset({"reason"})

KINDS: dict[str, Any] = {
    "case": gettext_lazy("Case details"),
    "person": gettext_lazy("Persons"),
    "referral": gettext_lazy("Referrals"),
    "involvement": gettext_lazy("Involved organisations"),
    "journal": gettext_lazy("Journal"),
    "document": gettext_lazy("Documents"),
    "intake": gettext_lazy("Intake"),
    "screening": gettext_lazy("Police screening"),
}


def all_kinds() -> dict[str, Any]:
    """The kinds of the page's filter: the case's own, and those feature apps add
    (`cases.extensions.register_history_source`, e.g. early signals)."""
    return {**KINDS, **extensions.history_kinds()}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    kind: str
    item: str
    at: datetime.datetime
    by: Any
    action: str  # "+" created, "~" changed, "-" deleted
    reason: str
    fields: list[FieldChange] = field(default_factory=list)
    object_id: int = 0
    person_id: int | None = None
    source: str = ""  # the kind of record: "journal", "person", "consent", ...

    @property
    def kind_label(self) -> str:
        return str(all_kinds().get(self.kind, self.kind))

    @property
    def action_label(self) -> str:
        return {"+": _("created"), "~": _("changed"), "-": _("deleted")}[self.action]


def _sources(user: User, case: Case) -> list[tuple[str, type[models.Model], Q]]:
    team = access.is_case_team(user, case)
    persons = Q(case_id=case.pk)
    if not team:
        # Restricted persons (AVG art. 18) are hidden from partners, their history too.
        persons &= ~Q(
            id__in=Person.objects.filter(case_id=case.pk, is_restricted=True).values("pk")
        )
    sources: list[tuple[str, type[models.Model], Q]] = [
        ("case", Case, Q(id=case.pk)),
        ("person", Person, persons),
        ("referral", Referral, Q(case_id=case.pk)),
        ("involvement", CaseInvolvement, Q(case_id=case.pk)),
        ("consent", ConsentRequest, Q(case_id=case.pk)),
        (
            "journal",
            JournalEntry,
            Q(id__in=access.visible_journal_entries(user, case).values("pk")),
        ),
        ("document", Document, Q(id__in=access.visible_documents(user, case).values("pk"))),
    ]
    if team:
        sources.append(("criterion", CriterionAssessment, Q(case_id=case.pk)))
        sources.append(("kris", KrisCheck, Q(case_id=case.pk)))
    if access.may_see_screening_detail(user, case):
        sources.append(("screening", PoliceScreening, Q(case_id=case.pk)))
    # Feature apps above cases: each decides who of the case's readers sees its rows.
    for extra in extensions.history_sources(user, case):
        sources.append((extra.source, extra.model, extra.condition))
    return sources


KIND_OF_SOURCE = {
    "consent": "intake",
    "criterion": "intake",
    "kris": "intake",
}


def _hidden_fields(user: User, case: Case, *, sees_sensitive: bool) -> dict[str, frozenset[str]]:
    """Per source, the fields this user may not read (the case page hides them too)."""
    hidden: dict[str, frozenset[str]] = {}
    if not access.is_case_team(user, case):
        for source, names in TEAM_ONLY_FIELDS.items():
            hidden[source] = hidden.get(source, frozenset()) | names
    if not sees_sensitive:
        for source, names in SENSITIVE_FIELDS.items():
            hidden[source] = hidden.get(source, frozenset()) | names
    return hidden


def _shown_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in NOT_SHOWN and not f.name.startswith("history_")
    ]


def _plain(
    value: Any, model_field: models.Field[Any, Any], labels: dict[tuple[Any, Any], str]
) -> str:
    """A value as a reader sees it: choice labels, names for keys, localised dates."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(model_field, models.ForeignKey):
        return labels.get((model_field.related_model, value), f"#{value}")
    choices = dict(model_field.flatchoices) if model_field.choices else None
    base = getattr(model_field, "base_field", None)
    if isinstance(value, list):
        base_choices = dict(base.flatchoices) if base is not None and base.choices else {}
        return ", ".join(str(base_choices.get(v, v)) for v in value)
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _item_label(
    source: str,
    row: Any,
    labels: dict[tuple[Any, Any], str],
    extra: dict[str, extensions.HistorySource] | None = None,
) -> str:

    org = Organisation
    if extra and source in extra:
        return extra[source].item_label(row)
    if source == "case":
        return _("Case details")
    if source == "person":
        name = " ".join(p for p in [row.first_name, row.last_name] if p)
        return _("Person %(name)s") % {"name": name}
    if source == "referral":
        return _("Referral by %(organisation)s") % {
            "organisation": labels.get((org, row.organisation_id), "?")
        }
    if source == "involvement":
        return _("Involvement of %(organisation)s") % {
            "organisation": labels.get((org, row.organisation_id), "?")
        }
    if source == "consent":
        return _("Consent request to %(organisation)s") % {
            "organisation": labels.get((org, row.corporation_id), "?")
        }
    if source == "journal":
        return _("Journal entry of %(date)s") % {
            "date": formats.date_format(row.occurred_on, "SHORT_DATE_FORMAT")
        }
    if source == "document":
        return _("Document %(title)s") % {"title": row.title}
    if source == "criterion":
        return _("Criterion assessment %(number)s") % {
            "number": labels.get(("criterion", row.criterion_id), "?")
        }
    if source == "kris":
        return _("KRIS check")
    return _("Police screening")


def _labels_for(rows_by_source: dict[str, list[Any]]) -> dict[tuple[Any, Any], str]:
    """Names for every foreign key in the rows: one query per referenced model."""

    wanted: dict[Any, set[Any]] = defaultdict(set)
    for source, rows in rows_by_source.items():
        if not rows:
            continue
        fields = [f for f in _shown_fields(type(rows[0]).instance_type) if f.is_relation]
        for row in rows:
            for f in fields:
                value = getattr(row, f.attname)
                if value is not None:
                    wanted[f.related_model].add(value)
            if source == "criterion":
                wanted["criterion"].add(row.criterion_id)
    labels: dict[tuple[Any, Any], str] = {}
    for model, pks in wanted.items():
        if model == "criterion":
            for pk, number in Criterion.objects.filter(pk__in=pks).values_list("pk", "number"):
                labels[("criterion", pk)] = str(number)
            continue
        if model is User:
            for user in User.objects.filter(pk__in=pks):
                labels[(User, user.pk)] = user.get_full_name() or user.email
            continue
        for obj in model._default_manager.filter(pk__in=pks):
            labels[(model, obj.pk)] = str(obj)
    return labels


def case_changes_for_user(*, user: User, case: Case) -> list[Change]:
    """Every recorded change of the case's items the user may see, newest first."""
    rows_by_source: dict[str, list[Any]] = {}
    extra = {s.source: s for s in extensions.history_sources(user, case)}
    for source, model, condition in _sources(user, case):
        history = model.history.model  # type: ignore[attr-defined]
        rows_by_source[source] = list(
            history.objects.filter(condition)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
    labels = _labels_for(rows_by_source)
    sees_sensitive = access.may_see_sensitive_details(user, case)  # one query
    team = access.is_case_team(user, case)
    organisation_id = getattr(user, "organisation_id", None)
    hidden = _hidden_fields(user, case, sees_sensitive=sees_sensitive)
    # Persons who are or were a neighbour: their contact details follow the neighbours' rule.
    neighbours = {
        row.id for row in rows_by_source.get("person", []) if row.role == PersonRole.NEIGHBOUR
    }
    changes: list[Change] = []
    for source, rows in rows_by_source.items():
        if not rows:
            continue
        model = rows[0].instance_type
        fields = {f.name: f for f in _shown_fields(model) if f.name not in hidden.get(source, ())}
        contact = {name: fields[name] for name in NEIGHBOUR_CONTACT_FIELDS if name in fields}
        # Many-to-many fields (visible_to) are excluded too: diffing them reads their
        # history tables once per row, and they are not shown.
        excluded = [f.name for f in rows[0].tracked_fields if f.name not in fields] + [
            f.name for f in rows[0]._history_m2m_fields
        ]
        latest: dict[int, Any] = {row.id: row for row in rows}  # rows are oldest first
        previous: dict[int, Any] = {}
        for row in rows:
            before = previous.get(row.id)
            changed: list[FieldChange] = []
            shown = fields
            if source == "person" and not sees_sensitive and row.id in neighbours:
                shown = {name: f for name, f in fields.items() if name not in contact}
            if source == "consent" and not team and row.corporation_id != organisation_id:
                shown = {n: f for n, f in fields.items() if n not in CONSENT_REASON_FIELDS}
            if row.history_type == "+" or before is None:
                changed = [
                    FieldChange(str(f.verbose_name), "", _plain(getattr(row, f.attname), f, labels))
                    for f in shown.values()
                    if getattr(row, f.attname) not in (None, "", [], False)
                ]
            elif row.history_type == "~":
                delta = row.diff_against(before, excluded_fields=excluded)
                for c in delta.changes:
                    # diff_against also compares the many-to-many fields history keeps
                    # (`visible_to`); only the shown fields are listed.
                    f = shown.get(c.field)
                    if f is None:
                        continue
                    changed.append(
                        FieldChange(
                            str(f.verbose_name), _plain(c.old, f, labels), _plain(c.new, f, labels)
                        )
                    )
            previous[row.id] = row
            if row.history_type == "~" and not changed:
                continue  # only bookkeeping columns moved
            changes.append(
                Change(
                    kind=KIND_OF_SOURCE.get(source, source),
                    item=_item_label(source, latest[row.id], labels, extra),
                    at=row.history_date,
                    by=row.history_user,
                    action=row.history_type if before is not None else "+",
                    reason=row.history_change_reason or "",
                    fields=changed,
                    object_id=row.id,
                    person_id=row.id if source == "person" else None,
                    source=source,
                )
            )
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes
