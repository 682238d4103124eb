"""Who may do what with the plan of approach, its actions and the corporation's decisions.

Built on `privacy.access` (roles, the case team); the services check these before every
write and the views (next round, with `cases.access.access_case`) use them to offer buttons.
They will move into `cases/access.py` once that module lands.
"""

from __future__ import annotations

from typing import Any

from partners.access import has_role
from partners.choices import Role

from . import access
from .access import may_agree_plan, may_write_plan
from .domain import plan as rules

# The case-level rules live in cases/access.py (Section.PLAN_WRITE, Section.PLAN_AGREE).
__all__ = ["may_agree_plan", "may_write_plan"]


def is_representative_of(user: Any, organisation_id: int | None) -> bool:
    """An active partner representative of that organisation."""
    return (
        organisation_id is not None
        and getattr(user, "organisation_id", None) == organisation_id
        and has_role(user, Role.PARTNER_REPRESENTATIVE)
    )


def may_finish_action(user: Any, action: Any) -> bool:
    """Mark an action done: its organisation's representatives, or the case team."""
    return rules.may_finish_action(
        actor_organisation_id=getattr(user, "organisation_id", None),
        action_organisation_id=action.organisation_id,
        is_case_team=access.is_case_team(user, action.case),
        is_representative=has_role(user, Role.PARTNER_REPRESENTATIVE),
    )


def may_cancel_action(user: Any, action: Any) -> bool:
    """Cancelling (with a reason) changes the plan: the case team only."""
    return access.is_case_team(user, action.case)


def may_decide_material_support(user: Any, support: Any) -> bool:
    """The paying corporation decides: its representatives."""
    return is_representative_of(user, support.corporation_id)


def may_propose_relocation(user: Any, relocation: Any) -> bool:
    """The corporation proposes a home: its representatives."""
    return is_representative_of(user, relocation.corporation_id)


def may_note_housing_permit(user: Any, relocation: Any) -> bool:
    return access.is_case_team(user, relocation.case) or is_representative_of(
        user, relocation.corporation_id
    )


def may_share_situation_report(user: Any, advice: Any) -> bool:
    """The police share their situation report (their own decision, under the Wpg): a
    police representative of the officer's organisation or of a consulted one."""
    if not access.is_police_representative(user):
        return False
    officer = advice.neighbourhood_officer
    if officer is not None and officer.organisation_id == user.organisation_id:
        return True
    return any(o.pk == user.organisation_id for o in advice.consulted.all())
