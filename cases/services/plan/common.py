"""Shared by the plan services: the refusals, the case-team and open-case checks, saving with
history, optimistic locking of a plan or goal form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from partners.models import User

from ... import access
from ...domain import workflow
from ...domain.plan import PlanRefused, StalePlanEdit
from ...models import (
    Case,
)
from ..common import bump_version

# Scores of a life-domain analysis: domain pk → (score 1–5, short note).
Scores = Mapping[int, tuple[int, str]]
# Results of an evaluation: goal pk → (result, note).
GoalResults = Mapping[int, tuple[str, str]]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_case_team(*, case: Case, by: User) -> None:
    _require(access.may_write_plan(by, case))


def _require_open(case: Case) -> None:
    if case.status in workflow.TERMINAL_STATUSES:
        raise PlanRefused(_("The case is closed: it can no longer be changed."))


def _save(obj: Any, *, by: User, **kwargs: Any) -> None:
    obj._history_user = by
    obj.save(**kwargs)


def bump_plan_version(model: type[Any], pk: int, expected: int | None) -> int | None:
    """The case services' optimistic locking (`cases.services.common.bump_version`) with the
    plan's refusal; None: no form version given, nothing checked."""
    if expected is None:
        return None
    return bump_version(model, pk, expected, refusal=StalePlanEdit)
