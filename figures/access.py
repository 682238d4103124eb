"""Who sees the figures (DOMAIN.md §3, §10).

The figures are aggregates without personal data: the coordinator, managers and the members
of the advisory and steering groups see them. No access function per object and no read
log: nothing on these pages is about a person (docs/figures.md). Result agreements are
maintained by the coordinator and the functional administrator."""

from __future__ import annotations

from partners.access import AnyUser, has_role
from partners.choices import Role

FIGURE_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.MEETING_MEMBER)
AGREEMENT_ROLES = (Role.COORDINATOR, Role.FUNCTIONAL_ADMIN)


def may_view_figures(user: AnyUser) -> bool:
    return has_role(user, *FIGURE_ROLES)


def may_manage_result_agreements(user: AnyUser) -> bool:
    return has_role(user, *AGREEMENT_ROLES)


def may_see_dashboard_figures(user: AnyUser) -> bool:
    """The coordinator's dashboard figures link to the case list, so only the coordinator."""
    return has_role(user, Role.COORDINATOR)
