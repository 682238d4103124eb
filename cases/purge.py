"""Removal hooks for a case's data that lives in a feature app above cases.

Erasure and retention (privacy) remove a case's personal data everywhere. Some of it lives
in an app on the same floor as privacy (meetings: the cached agenda and minutes PDFs), which
privacy may not import (the layers in pyproject.toml). Such an app registers its purge here
from its `AppConfig.ready()`; privacy runs every registered purge through
`case_purges_run`. The same pattern as `deadlines.access.register_case_scope`: the imports
keep pointing down, and the rule of what to delete stays in the app that owns the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class CasePurge(Protocol):
    def __call__(self, *, case: Any) -> int: ...


_purges: dict[str, CasePurge] = {}


def register_case_purge(name: str, purge: CasePurge) -> None:
    """Called from a feature app's ready(): `purge(case=case)` deletes what that app holds
    about the case that cannot be anonymised in place, and returns how many it deleted."""
    _purges[name] = purge


def case_purges_run(*, case: Any) -> dict[str, int]:
    """Run every registered purge for `case` (in the caller's transaction); counts per name."""
    return {name: purge(case=case) for name, purge in sorted(_purges.items())}


# --- A draft referral that is deleted (never submitted) ---------------------------------------


_draft_releases: dict[str, CasePurge] = {}


def register_draft_release(name: str, release: CasePurge) -> None:
    """Called from a feature app's ready(): before a draft referral's case is deleted,
    `release(case=case)` gives back what the app tied to the draft (early signals: open or
    invited again), so that nothing claims to be part of a case that never was. Returns how
    many rows it released."""
    _draft_releases[name] = release


def draft_releases_run(*, case: Any) -> dict[str, int]:
    """Run every registered release for the draft's `case` (in the caller's transaction)."""
    return {name: release(case=case) for name, release in sorted(_draft_releases.items())}


# --- Retention of a feature app's own data (not part of any case) -----------------------------


class RetentionDue(Protocol):
    def __call__(self, *, today: Any = None) -> list[str]: ...


class RetentionPurge(Protocol):
    def __call__(self, *, today: Any = None) -> int: ...


class RetentionRule(Protocol):
    def __call__(self) -> str: ...


@dataclass(frozen=True)
class RetentionSource:
    """Personal data a feature app keeps outside any case, with a retention period of its
    own (early signals): privacy's daily job runs `purge`, its dry run lists `due` (one line
    per item, without personal data), and the register states `rule` (the period, with the
    setting that configures it)."""

    name: str
    rule: RetentionRule
    due: RetentionDue
    purge: RetentionPurge


_sources: dict[str, RetentionSource] = {}


def register_retention_source(source: RetentionSource) -> None:
    """Called from a feature app's ready()."""
    _sources[source.name] = source


def retention_sources() -> list[RetentionSource]:
    return [source for _name, source in sorted(_sources.items())]
