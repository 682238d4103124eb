"""The parts of early signals that live inside a case, registered in cases' hooks
(`cases/extensions.py`) from `apps.py`: the case history's rows of the signals and the
access export's section (AVG art. 15) with the passages offered for its review. The case's
rules hold: what the case page shows to its case team (`views.case_panel`), the history
shows to the case team; the export holds the signals of a causer's or household member's
case, not of a neighbour's (like the referrals, they are about the household)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import is_case_team
from cases.choices import NuisanceForm
from cases.extensions import ExportSection, HistorySource

from .models import Signal, SignalNote

KIND = "early_signal"
KIND_LABEL = gettext_lazy("Early signals")


def _item_label(row: Any) -> str:
    return _("Early signal of %(date)s") % {
        "date": formats.date_format(row.created_at, "SHORT_DATE_FORMAT")
    }


def history_sources(user: Any, case: Any) -> list[HistorySource]:
    """The signals' history on the case history page: for the case team, as on the case
    page (the history of a signal from before it joined the case included)."""
    if not is_case_team(user, case):
        return []
    return [
        HistorySource(
            source=KIND,
            model=Signal,
            condition=Q(id__in=Signal.objects.filter(case=case).values("pk")),
            item_label=_item_label,
        )
    ]


def _texts(signal: Signal, notes: list[SignalNote]) -> list[str]:
    texts = [signal.note, signal.own_actions, signal.outcome_note]
    texts += [note.text for note in notes]
    return [text for text in texts if text]


def _signals(case: Any) -> list[Signal]:
    return list(
        Signal.objects.filter(case=case)
        .select_related("organisation", "lawful_basis")
        .prefetch_related("notes")
        .order_by("created_at", "pk")
    )


def export_data(
    *, case: Any, withheld: frozenset[tuple[str, int]], mark: str, neighbour: Any = None
) -> list[dict[str, Any]]:
    """The signals of the case as the export holds them: who signalled when (the
    organisation, not the employee), what, the lawful basis, and the free texts with the
    coordinator's notes and advice; a withheld signal's texts are replaced by `mark`."""
    if neighbour is not None:
        return []
    labels = dict(NuisanceForm.choices)
    rows = []
    for signal in _signals(case):
        hidden = (KIND, signal.pk) in withheld and bool(_texts(signal, list(signal.notes.all())))
        rows.append(
            {
                "organisation": str(signal.organisation),
                "signalled_at": signal.created_at,
                "address": {
                    "postcode": signal.postcode,
                    "house_number": signal.house_number,
                    "addition": signal.house_number_addition,
                },
                "nuisance_forms": [str(labels.get(f, f)) for f in signal.nuisance_forms],
                "nuisance_since": signal.nuisance_since,
                "what_the_organisation_does": mark if hidden else signal.own_actions,
                "description": mark if hidden else signal.note,
                "status": signal.get_status_display(),
                "outcome": signal.get_outcome_display(),
                "outcome_explanation": mark if hidden else signal.outcome_note,
                "notes": [
                    {
                        "kind": note.get_kind_display(),
                        "at": note.created_at,
                        "text": mark if hidden else note.text,
                    }
                    for note in signal.notes.all()
                ],
                "lawful_basis": str(signal.lawful_basis)
                if signal.lawful_basis
                else str(_("To be reviewed by the privacy officer")),
                "consent_date": signal.consent_date,
                "withheld": hidden,
            }
        )
    return rows


def export_review(*, case: Any, neighbour: Any = None) -> list[tuple[int, str, list[str]]]:
    """Each signal with free text is a passage to review (it may be about others)."""
    if neighbour is not None:
        return []
    rows = []
    for signal in _signals(case):
        texts = _texts(signal, list(signal.notes.all()))
        if texts:
            what = f"{signal.organisation} {signal.created_at:%Y-%m-%d}"
            rows.append((signal.pk, what, texts))
    return rows


EXPORT_SECTION = ExportSection(
    key="early_signals",
    kind=KIND,
    kind_label=KIND_LABEL,
    data=export_data,
    review=export_review,
)
