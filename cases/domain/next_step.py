"""What the casemanager does next in each phase: the one line a workspace shows beside a
case (issue 16). Pure; the guards of each step stay in `workflow`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..choices import CaseStatus as S

NEXT_STEP = {
    S.REFERRED: _("Take the referral into handling"),
    S.INTAKE: _("Complete the intake checks and decide"),
    S.ACCEPTED: _("Start the investigation: hear both sides"),
    S.INVESTIGATION: _("Write the plan of approach and have it agreed"),
    S.PLAN_AGREED: _("Start carrying out the plan"),
    S.EXECUTION: _("Follow up the actions; evaluate when due"),
    S.FINAL_EVALUATION: _("Arrange aftercare or close the case"),
    S.AFTERCARE: _("Follow the aftercare; close when it ends"),
    S.PASSED_ON: _("Hand over and close the case"),
}


def next_step(status: str) -> object:
    """The next step of a case in `status` ("" for a closed or ended case)."""
    return NEXT_STEP.get(S(status), "") if status in S.values else ""
