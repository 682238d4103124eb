"""Every write of the plan of approach, its actions, evaluations, aftercare, material support
and relocation (DOMAIN.md §5–6). Keyword-only, the acting user as `by`; rights are checked
here (`cases/access.py`), rules asked from `cases/domain/plan.py`; deadlines are opened
and met here, notifications queued on commit.

Refusals: `PermissionDenied` when the user may not do this at all, `PlanRefused` (with the
reasons in the user's language) when the rules do not allow it now.

One module per part, as the pages: plan versions, goals and the life-domain analysis
(`versions`), actions, the investigation, evaluations and aftercare (`evaluations`), material
support, relocation and the eviction advice (`support`), the life-domain matrix
(`life_domains`). Callers import from here (`from cases.services import plan`)."""

from __future__ import annotations

from ...domain.plan import PlanRefused
from .actions import (
    action_assign,
    action_assigned_notify,
    action_cancel,
    action_complete,
)
from .common import (
    GoalResults,
    Scores,
)
from .evaluations import (
    AFTERCARE_FIELDS,
    INVESTIGATION_FIELDS,
    aftercare_plan_record,
    evaluation_record,
    investigation_record,
)
from .life_domains import (
    life_domain_save,
)
from .support import (
    eviction_advice_give,
    material_support_decide,
    material_support_request,
    relocation_advise,
    relocation_note_permit,
    relocation_propose,
    situation_report_share,
)
from .versions import (
    goal_add,
    goal_remove,
    goal_update,
    life_domains_assess,
    plan_agreement_record,
    plan_mark_agreed,
    plan_new_version,
    plan_start,
    plan_update,
)

__all__ = [
    "AFTERCARE_FIELDS",
    "GoalResults",
    "INVESTIGATION_FIELDS",
    "PlanRefused",
    "Scores",
    "action_assign",
    "action_assigned_notify",
    "action_cancel",
    "action_complete",
    "aftercare_plan_record",
    "evaluation_record",
    "eviction_advice_give",
    "goal_add",
    "goal_remove",
    "goal_update",
    "investigation_record",
    "life_domain_save",
    "life_domains_assess",
    "material_support_decide",
    "material_support_request",
    "plan_agreement_record",
    "plan_mark_agreed",
    "plan_new_version",
    "plan_start",
    "plan_update",
    "relocation_advise",
    "relocation_note_permit",
    "relocation_propose",
    "situation_report_share",
]
