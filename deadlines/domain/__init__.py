"""The deadlines' pure rules (no ORM): the working-day calendar (`calendar`), due dates
(`due`) and a deadline's state (`state`). Imported by every app that counts working days
or shows a deadline; imports nothing of this project."""

from .calendar import WorkingDayCalendar, statutory_holidays
from .due import Direction, DueRule, Stage, Unit, due_at, soon_on
from .state import DeadlineState, DueState, deadline_state

__all__ = [
    "DeadlineState",
    "Direction",
    "DueRule",
    "DueState",
    "Stage",
    "Unit",
    "WorkingDayCalendar",
    "deadline_state",
    "due_at",
    "soon_on",
    "statutory_holidays",
]
