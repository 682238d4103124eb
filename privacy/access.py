"""The privacy officer's own rules. Roles and view decorators are in `partners/access.py`,
case rules in `cases/access.py`, deadline visibility in `deadlines/access.py`."""

from __future__ import annotations

from partners.access import AnyUser, may


def may_audit_access(user: AnyUser) -> bool:
    """The privacy officer's pages: access by user, access to a case, unusual access."""
    return may(user, "privacy.audit_access")
