"""What goes on a case meeting's agenda and what each reader sees of an item. Pure rules.

Proposals come from the network's cases; each case appears once, for its most pressing
reason (the order of `PRIORITY`). A referral still in intake shows only its case number
and initials (DOMAIN.md §9), and only to organisations already involved.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.choices import CaseStatus
from meetings.choices import ItemSource

S = CaseStatus

INTAKE_STATUSES = frozenset({S.REFERRED, S.INTAKE})
PLAN_STATUSES = frozenset({S.INVESTIGATION})
PASS_ON_OR_CLOSE_STATUSES = frozenset({S.FINAL_EVALUATION, S.AFTERCARE, S.PASSED_ON})
# Cases that can be on an agenda at all (open, past the draft).
OPEN_STATUSES = frozenset(
    {
        S.REFERRED,
        S.INTAKE,
        S.ACCEPTED,
        S.INVESTIGATION,
        S.PLAN_AGREED,
        S.EXECUTION,
        S.FINAL_EVALUATION,
        S.AFTERCARE,
        S.PASSED_ON,
    }
)

PRIORITY = (
    ItemSource.INTAKE,
    ItemSource.OVERDUE_ACTION,
    ItemSource.PLAN,
    ItemSource.EVALUATION,
    ItemSource.PASS_ON_OR_CLOSE,
)


def proposal_source(
    status: str, *, evaluation_due: bool, action_overdue: bool
) -> ItemSource | None:
    """Why a case with this status should be on the next agenda, or None."""
    reasons = set()
    if status in INTAKE_STATUSES:
        reasons.add(ItemSource.INTAKE)
    if status in PLAN_STATUSES:
        reasons.add(ItemSource.PLAN)
    if status in PASS_ON_OR_CLOSE_STATUSES:
        reasons.add(ItemSource.PASS_ON_OR_CLOSE)
    if evaluation_due and status in OPEN_STATUSES:
        reasons.add(ItemSource.EVALUATION)
    if action_overdue and status in OPEN_STATUSES:
        reasons.add(ItemSource.OVERDUE_ACTION)
    for source in PRIORITY:
        if source in reasons:
            return source
    return None


def initials(first_name: str, last_name: str) -> str:
    """ "Piet", "de Boer" → "P.d.B.": first letters only, particles in lower case."""
    letters = [part[0].upper() for part in first_name.replace("-", " ").split() if part]
    parts = last_name.replace("-", " ").split()
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        letters.append(part[0].upper() if last or part[0].isupper() else part[0].lower())
    return "".join(f"{letter}." for letter in letters)


@dataclass(frozen=True)
class ItemView:
    """Which parts of a case item a reader sees."""

    initials: bool = True
    street: bool = True
    phase: bool = True
    question: bool = True


FULL = ItemView()
INTAKE_ONLY = ItemView(street=False, phase=False, question=False)


def item_view(case_status: str | None) -> ItemView:
    """A referral in intake: number and initials only; other case items in full."""
    if case_status in INTAKE_STATUSES:
        return INTAKE_ONLY
    return FULL


def moved(order: list[int], pk: int, direction: str) -> list[int]:
    """The agenda order after moving item `pk` one place "up" or "down" (unchanged at the
    top or bottom, or for an item not in the order)."""
    if pk not in order or direction not in ("up", "down"):
        return list(order)
    result = list(order)
    index = result.index(pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(result):
        result[index], result[other] = result[other], result[index]
    return result
