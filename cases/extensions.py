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
"""

from __future__ import annotations

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
