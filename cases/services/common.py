"""Shared by the case services: the refusals they raise, today, optimistic locking, work on commit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _


class StaleEdit(Exception):  # noqa: N818 - a refusal shown to the user
    """Someone else saved this record after it was loaded (optimistic locking); the form
    comes back with what was typed and `current_version`, so a second save works."""

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class RequestStillOpenError(ValueError):
    """A consent or screening request is still open on the case: one at a time."""


def _today() -> datetime.date:
    return timezone.localdate()


def bump_version(
    model: type[Any],
    pk: int,
    expected_version: int,
    *,
    refusal: Callable[..., Exception] = StaleEdit,
) -> int:
    """Optimistic locking in one statement: UPDATE … SET version = version + 1 WHERE version
    = expected. A concurrent save of the same row waits for the other's COMMIT and then finds
    the version changed, so of two saves of one loaded form exactly one wins; the other gets
    `refusal` (StaleEdit; the plan services pass StalePlanEdit) with the version saved now.
    A row removed in the meantime (a goal taken out of the draft) is refused the same way,
    with its own message, instead of failing. Returns the new version."""
    updated = model.objects.filter(pk=pk, version=expected_version).update(version=F("version") + 1)
    if not updated:
        current = model.objects.filter(pk=pk).values_list("version", flat=True).first()
        if current is None:
            raise refusal(
                _("Someone else removed this in the meantime. Nothing was saved."),
                current_version=expected_version,
            )
        raise refusal(
            _("Someone else saved this in the meantime. Your input is kept; check and save again."),
            current_version=current,
        )
    return expected_version + 1


def _on_commit(task: Any, pk: int) -> None:
    transaction.on_commit(lambda: task(pk), robust=True)
