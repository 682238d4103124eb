"""The life-domain matrix (data per municipality), kept by the functional administrator."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from partners.access import may_manage_partners
from partners.models import User

from ...domain.plan import PlanRefused
from ...models import (
    LifeDomain,
)
from .common import _require

# --- The life-domain matrix (data, per municipality) ---------------------------------------


@transaction.atomic
def life_domain_save(
    *,
    by: User,
    code: str,
    name: str,
    order: int,
    is_special_category: bool,
    is_active: bool = True,
    description: str = "",
    domain: LifeDomain | None = None,
) -> LifeDomain:
    """Add or change a domain of the matrix: the functional administrator. Domains are
    deactivated, never deleted (earlier scores keep pointing at them)."""
    _require(may_manage_partners(by))
    if not name.strip() or not code.strip():
        raise PlanRefused(_("A life domain needs a code and a name."))
    clash = LifeDomain.objects.filter(code=code)
    if domain is not None:
        clash = clash.exclude(pk=domain.pk)
    if clash.exists():
        raise PlanRefused(_("Another life domain already has this code."))
    domain = domain or LifeDomain()
    domain.code, domain.name, domain.description = code, name, description
    domain.order, domain.is_special_category, domain.is_active = (
        order,
        is_special_category,
        is_active,
    )
    domain.save()
    return domain
