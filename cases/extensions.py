"""Hooks through which a feature app above cases takes part in the referral and the intake.

A feature app (early_signals: the partners' early signals) lives on the floor above cases,
which may not import it (the layers in pyproject.toml). It registers here from its
`AppConfig.ready()`, the same pattern as `cases.purge.register_case_purge` and
`deadlines.access.register_case_scope`: the imports keep pointing down, and the rule stays
in the app that owns the data.

- `register_referral_submitted(name, hook)`: `hook(case=..., by=...)` runs inside the
  submission's transaction (after the case number and the recidivism check).
- `register_intake_panel(name, panel)`: `panel(request, case)` returns the HTML of a section
  of the intake page (the page is the case team's; the panel reads within that access), or
  "" to show nothing.
- `register_case_panel(name, panel)`: the same for a section of the case page. The case page
  is shown to everyone `access_case` lets in; the panel decides who of them sees it.
- `register_case_attached(name, hook)`: `hook(case=..., into=..., by=...)` runs when a
  duplicate case is attached to an open case (intake "attach"), inside that transaction.
- `register_history_source(name, source)`: `source(user, case)` returns the
  `HistorySource`s of the app's rows of the case that this user may see (the case history
  page, cases/selectors_history.py), or [] for none.
- `register_export_section(name, section)`: an `ExportSection` puts the app's data of a case
  into the access export (AVG art. 15, privacy/export.py) and offers its free text for the
  export review (art. 15(4)), by `kind` and id like privacy's own passages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.http import HttpRequest
from django.utils.safestring import SafeString


class ReferralSubmitted(Protocol):
    def __call__(self, *, case: Any, by: Any) -> None: ...


class IntakePanel(Protocol):
    def __call__(self, request: HttpRequest, case: Any) -> SafeString | str: ...


_submitted: dict[str, ReferralSubmitted] = {}
_intake_panels: dict[str, IntakePanel] = {}


def register_referral_submitted(name: str, hook: ReferralSubmitted) -> None:
    _submitted[name] = hook


def referral_submitted_run(*, case: Any, by: Any) -> None:
    """Every registered hook, in name order, in the caller's transaction."""
    for _name, hook in sorted(_submitted.items()):
        hook(case=case, by=by)


def register_intake_panel(name: str, panel: IntakePanel) -> None:
    _intake_panels[name] = panel


def intake_panels(request: HttpRequest, case: Any) -> list[SafeString | str]:
    """The HTML of every registered panel for this case (empty ones left out)."""
    rendered = [panel(request, case) for _name, panel in sorted(_intake_panels.items())]
    return [html for html in rendered if html]


_case_panels: dict[str, IntakePanel] = {}


def register_case_panel(name: str, panel: IntakePanel) -> None:
    _case_panels[name] = panel


def case_panels(request: HttpRequest, case: Any) -> list[SafeString | str]:
    """The HTML of every registered case-page section for this case (empty ones left out)."""
    rendered = [panel(request, case) for _name, panel in sorted(_case_panels.items())]
    return [html for html in rendered if html]


class CaseAttached(Protocol):
    def __call__(self, *, case: Any, into: Any, by: Any) -> None: ...


_attached: dict[str, CaseAttached] = {}


def register_case_attached(name: str, hook: CaseAttached) -> None:
    _attached[name] = hook


def case_attached_run(*, case: Any, into: Any, by: Any) -> None:
    """Every registered hook when duplicate `case` is attached to open case `into`."""
    for _name, hook in sorted(_attached.items()):
        hook(case=case, into=into, by=by)


@dataclass(frozen=True)
class HistorySource:
    """Rows of an app's historical model shown on the case history page: `source` names the
    kind of record (also the `?item=<source>:<id>` filter and the kind it is filed under),
    `condition` selects the history rows (a Q on the historical model), and `item_label(row)`
    names an item (the row is the newest history row of it)."""

    source: str
    model: Any
    condition: Any
    item_label: Callable[[Any], str]


class HistorySources(Protocol):
    def __call__(self, user: Any, case: Any) -> list[HistorySource]: ...


_history_sources: dict[str, tuple[Any, HistorySources]] = {}


def register_history_source(name: str, kind_label: Any, sources: HistorySources) -> None:
    """`name` is the kind on the history page (its filter), `kind_label` its heading."""
    _history_sources[name] = (kind_label, sources)


def history_kinds() -> dict[str, Any]:
    """The kinds the registered apps add to the history page: name -> label."""
    return {name: label for name, (label, _sources) in sorted(_history_sources.items())}


def history_sources(user: Any, case: Any) -> list[HistorySource]:
    return [
        source
        for _name, (_label, sources) in sorted(_history_sources.items())
        for source in sources(user, case)
    ]


class ExportData(Protocol):
    def __call__(
        self, *, case: Any, withheld: frozenset[tuple[str, int]], mark: str, neighbour: Any = None
    ) -> list[dict[str, Any]]: ...


class ExportReview(Protocol):
    def __call__(self, *, case: Any, neighbour: Any = None) -> list[tuple[int, str, list[str]]]: ...


@dataclass(frozen=True)
class ExportSection:
    """`data(case=, withheld=, mark=, neighbour=)`: the rows for the export (a neighbour's
    export: only what is about them), the passages in `withheld` (kind, id) replaced by
    `mark`; `key` is the rows' name in the export's case. `review(case=, neighbour=)`: (id, what, texts) per passage to review,
    under `kind` with the label `kind_label`."""

    key: str
    kind: str
    kind_label: Any
    data: ExportData
    review: ExportReview


_export_sections: dict[str, ExportSection] = {}


def register_export_section(section: ExportSection) -> None:
    _export_sections[section.key] = section


def export_sections() -> list[ExportSection]:
    return [section for _key, section in sorted(_export_sections.items())]
