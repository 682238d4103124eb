"""Which Django permissions each role holds. The one table; groups are kept in step with it.

Role-level rights are Django model permissions held through one group per role;
object-level rights (a case, a document) are django-guardian grants made by
`privacy/access.py`. Nothing else assigns permissions.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from .choices import Role

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.COORDINATOR: [
        "partners.view_organisation",
        "cases.view_case_content",
        "cases.coordinate_cases",
        "cases.refer_case",
    ],
    Role.CASEMANAGER: ["partners.view_organisation", "cases.view_case_content"],
    Role.PARTNER_REPRESENTATIVE: ["cases.view_case_content"],
    Role.REFERRER: ["cases.refer_case"],
    Role.MANAGER: [],
    Role.PRIVACY_OFFICER: [
        "privacy.audit_access",
        "privacy.handle_data_subject_requests",
        "privacy.view_processing_register",
    ],
    Role.FUNCTIONAL_ADMIN: [
        "partners.manage_partners",
        "partners.view_organisation",
        "privacy.view_processing_register",
    ],
    Role.MEETING_MEMBER: [],
}


def sync_role_groups(**kwargs: Any) -> None:
    """Create one group per role and give it exactly the permissions of ROLE_PERMISSIONS."""

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
