"""Which deadlines a user may see.

Deadlines sit below cases in the layering (partners < deadlines/notifications < cases), yet
a case's deadlines are visible exactly to those who see the case. The cases layer therefore
*registers* its visible-case query here (`register_case_scope`, from `CasesConfig.ready`)
instead of this module importing cases.

Why a registered provider and not a parameter: the callers that need deadlines include the
dashboard (`partners/views.py`) and the deadline scan, which sit at or below this layer and
know nothing of cases either; passing the case query in would push a cases import into each
of them. One registration keeps the rule in one place and the imports pointing down.
Without a registered scope (cases not installed) no case deadline is visible.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from partners.access import AnyUser, may, roles_of

from . import registry
from .models import Deadline

# user -> the condition on a deadline's `case` that it is one of the cases the user sees
CaseScope = Callable[[AnyUser], Q]

_case_scope: list[CaseScope] = []


def register_case_scope(scope: CaseScope) -> None:
    """Called once by the cases app: `scope(user)` is a condition on a row's `case` foreign
    key, true for the cases the user sees (tested on the case ids, never a scan of cases)."""
    _case_scope[:] = [scope]


def deadline_kinds_without_case(user: AnyUser) -> list[str]:
    """Kinds of deadline without a case the user sees: those told to one of their roles."""
    roles = roles_of(user)
    return [
        kind.code
        for kind in registry.all_kinds()
        if roles & (kind.tell_before.roles | kind.tell_overdue.roles)
    ]


def visible_deadlines(user: AnyUser) -> QuerySet[Deadline]:
    """Deadlines `user` may see: those of the cases they see, and deadlines without a case
    (the covenant's notice date, a data-subject request) of the kinds whose audience holds
    one of the user's roles (deadlines/registry.py says who is told of which kind)."""
    without_case = Q(case__isnull=True, kind__in=deadline_kinds_without_case(user))
    if not _case_scope:
        return Deadline.objects.filter(without_case)
    return Deadline.objects.filter(_case_scope[0](user) | without_case)


def may_see_deadlines(user: AnyUser) -> bool:
    return may(user, "cases.view_case_content") or bool(deadline_kinds_without_case(user))
