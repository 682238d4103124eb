"""An action's done or cancel form sent back with errors, for the case page it was sent from
(the plan page, the aftercare page: cases/views/actions.py answers, those pages show it)."""

from __future__ import annotations

from dataclasses import dataclass

from ..forms.plan import ActionCancelForm, ActionCompleteForm

DONE = "done"
CANCEL = "cancel"


@dataclass(frozen=True)
class Finish:
    """An action's done or cancel form sent back with errors, for the page it was on."""

    action_pk: int
    kind: str  # DONE or CANCEL
    form: ActionCompleteForm | ActionCancelForm
    next_url: str

    @property
    def done_pk(self) -> int | None:
        """The action whose done form this is (the row shows it open), or None."""
        return self.action_pk if self.kind == DONE else None

    @property
    def cancel_pk(self) -> int | None:
        return self.action_pk if self.kind == CANCEL else None
