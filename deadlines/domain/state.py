"""Where a deadline stands. Pure rules: no ORM, no settings.

`deadline_state` is the ONE definition of a deadline's state; every page (the intake page,
the case page, the case and intake lists, the dashboard) shows what it says.
`deadlines.models.state_filter` is its SQL mirror for lists and counts, and a table-driven
test holds the two together.

The "due soon" window is the kind's: from `soon_on` (working days before the due day,
computed by `due.soon_on` when the deadline opens and stored on the row, so the scan that
notifies and the pages that show agree) up to and including the due day. Overdue from the
day after the due day (the due instant is the due day's last moment, local time).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass


class DeadlineState(enum.StrEnum):
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    LAPSED = "lapsed"  # no longer applies (the case ended first, the covenant renewed)

    @property
    def is_met(self) -> bool:
        return self in (DeadlineState.MET_ON_TIME, DeadlineState.MET_LATE)

    @property
    def is_late(self) -> bool:
        return self in (DeadlineState.OVERDUE, DeadlineState.MET_LATE)


def deadline_state(
    *,
    due_on: datetime.date,
    soon_on: datetime.date,
    today: datetime.date,
    met_on: datetime.date | None = None,
    lapsed: bool = False,
) -> DeadlineState:
    """The state of a deadline due on `due_on` that counts as due soon from `soon_on`.

    `met_on`: the local day it was met (None: not met); `lapsed`: it no longer applies."""
    if lapsed:
        return DeadlineState.LAPSED
    if met_on is not None:
        return DeadlineState.MET_ON_TIME if met_on <= due_on else DeadlineState.MET_LATE
    if today > due_on:
        return DeadlineState.OVERDUE
    if today >= soon_on:
        return DeadlineState.DUE_SOON
    return DeadlineState.OPEN


@dataclass(frozen=True)
class DueState:
    """A due day with its state: what a page shows next to a case, a request or a row."""

    due_on: datetime.date
    state: DeadlineState

    @property
    def is_met(self) -> bool:
        return self.state.is_met

    @property
    def is_late(self) -> bool:
        return self.state.is_late
