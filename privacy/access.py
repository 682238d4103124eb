"""The one place that answers "may this user see or do this".

Views and selectors call these functions; nothing else talks to groups or guardian.
Role-level rights are Django permissions held through role groups (`partners/roles.py`);
object-level rights (cases, documents) are added here as the cases land.

Every view is wrapped in exactly one of the decorators below. The decorator records its
rule on the view (`view.access_rule`), and `tests/test_url_access.py` walks all URL
patterns and fails for a view that has none.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from partners.choices import Role

if TYPE_CHECKING:
    from partners.models import User

View = Callable[..., HttpResponse]

# Pages in the main navigation: (url name, label, permission or None for every signed-in user).
# The navigation shows an item only when `may()` says so.


def roles_of(user: Any) -> frozenset[Role]:
    """The user's active roles (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._roles_cache = cached
    return cached


def has_role(user: Any, *roles: Role) -> bool:
    return bool(roles_of(user).intersection(roles))


def may(user: Any, permission: str) -> bool:
    """Role-level right: a Django permission held through one of the user's roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.has_perm(permission))


def may_manage_partners(user: User) -> bool:
    return may(user, "partners.manage_partners")


# --- Organisations and cases ------------------------------------------------------------
#
# An organisation's users form a group ("organisation:<pk>"). Involving an organisation in
# a case grants that group guardian's `view_case_content` on the case; ending the
# involvement removes the grant. Only partner representatives use that grant; referrers
# of the same organisation see the status of their referrals, never case content.

CASE_CONTENT_PERMISSION = "view_case_content"


def organisation_group_name(organisation_pk: int) -> str:
    return f"organisation:{organisation_pk}"


def organisation_group(organisation: Any) -> Any:
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name=organisation_group_name(organisation.pk))
    return group


def sync_user_organisation_group(user: Any) -> None:
    """Keep the user in exactly the group of their own organisation."""
    stale = user.groups.filter(name__startswith="organisation:")
    if user.organisation_id is not None:
        own = organisation_group(user.organisation)
        stale = stale.exclude(pk=own.pk)
        user.groups.add(own)
    user.groups.remove(*stale)
    user.__dict__.pop("_roles_cache", None)


def sync_case_grants(case: Any) -> None:
    """Make guardian's grants on `case` match its active involvements. The one place."""
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm, remove_perm

    from cases.models import CaseGroupObjectPermission

    involved = {
        organisation_group_name(pk)
        for pk in case.involvements.filter(is_active=True).values_list("organisation_id", flat=True)
    }
    granted = set(
        CaseGroupObjectPermission.objects.filter(
            content_object=case, permission__codename=CASE_CONTENT_PERMISSION
        ).values_list("group__name", flat=True)
    )
    for name in involved - granted:
        group, _ = Group.objects.get_or_create(name=name)
        assign_perm(CASE_CONTENT_PERMISSION, group, case)
    for group in Group.objects.filter(name__in=granted - involved):
        remove_perm(CASE_CONTENT_PERMISSION, group, case)


def is_case_team(user: Any, case: Any) -> bool:
    """Coordinator, or the casemanager of this case: full access."""
    return has_role(user, Role.COORDINATOR) or (
        has_role(user, Role.CASEMANAGER) and case.casemanager_id == user.pk
    )


def visible_cases(user: Any) -> Any:
    """Every case whose content `user` may see, as one query (no Python filtering)."""
    from django.db.models import Exists, OuterRef, Q

    from cases.choices import CaseStatus
    from cases.models import Case, CaseGroupObjectPermission

    roles = roles_of(user)
    cases = Case.objects.exclude(status__in=[CaseStatus.DRAFT, CaseStatus.ATTACHED])
    if Role.COORDINATOR in roles:
        return cases
    condition = Q(pk__in=[])
    if Role.CASEMANAGER in roles:
        condition |= Q(casemanager=user)
    if Role.PARTNER_REPRESENTATIVE in roles and user.organisation_id is not None:
        grant = CaseGroupObjectPermission.objects.filter(
            content_object=OuterRef("pk"),
            permission__codename=CASE_CONTENT_PERMISSION,
            group__name=organisation_group_name(user.organisation_id),
            group__user=user,
        )
        condition |= Exists(grant)
    if may_request_emergency_access(user):
        from django.utils import timezone

        from privacy.models import EmergencyAccess

        emergency = EmergencyAccess.objects.filter(
            user=user, case=OuterRef("pk"), expires_at__gt=timezone.now()
        )
        condition |= Exists(emergency)
    return cases.filter(condition)


def may_request_emergency_access(user: Any) -> bool:
    """'Break the glass' (privacy/emergency.py): only when the municipality switched it on
    (EMERGENCY_ACCESS_ENABLED), for casemanagers and partner representatives."""
    from django.conf import settings

    return bool(getattr(settings, "EMERGENCY_ACCESS_ENABLED", False)) and has_role(
        user, Role.CASEMANAGER, Role.PARTNER_REPRESENTATIVE
    )


class AccessBasis(str):
    """A read-log basis; `motivation` holds the written reason of an emergency access."""

    motivation = ""


def case_access_basis(user: Any, case: Any, *, emergency: dict[int, str] | None = None) -> str:
    """On what basis `user` sees `case` (for the read log). Call it only after the case came
    through `visible_cases` (or another access check): it reads nothing, it only names the
    strongest reason among the user's roles, which are cached for the request — except with
    emergency access switched on, where one query tells an emergency grant apart."""
    from privacy.models import ReadBasis

    roles = roles_of(user)
    if Role.COORDINATOR in roles:
        return ReadBasis.COORDINATOR
    if Role.CASEMANAGER in roles and case.casemanager_id == user.pk:
        return ReadBasis.CASEMANAGER
    if may_request_emergency_access(user):
        # Only with emergency access switched on: one query for an active grant that is
        # the user's only way in (not also a representative of an involved organisation);
        # a list passes `emergency` from `emergency_motivations` (one query for all cases).
        if emergency is None:
            emergency = emergency_motivations(user, [case.pk])
        if case.pk in emergency:
            basis = AccessBasis(ReadBasis.EMERGENCY)
            basis.motivation = emergency[case.pk]
            return basis
    return ReadBasis.INVOLVED_ORGANISATION


def emergency_motivations(user: Any, case_ids: Any) -> dict[int, str]:
    """Case id → motivation of the user's active emergency grant that is their only way in
    (one query; empty unless emergency access is switched on for the user)."""
    if not may_request_emergency_access(user):
        return {}
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from cases.models import CaseInvolvement
    from privacy.models import EmergencyAccess

    grants = EmergencyAccess.objects.filter(
        user=user, case_id__in=list(case_ids), expires_at__gt=timezone.now()
    )
    if Role.PARTNER_REPRESENTATIVE in roles_of(user) and user.organisation_id is not None:
        involved = CaseInvolvement.objects.filter(
            case_id=OuterRef("case_id"), organisation_id=user.organisation_id, is_active=True
        )
        grants = grants.exclude(Exists(involved))
    motivations: dict[int, str] = {}
    for case_id, motivation in grants.order_by("granted_at").values_list("case_id", "motivation"):
        motivations[case_id] = motivation  # the newest grant wins
    return motivations


def may_audit_access(user: Any) -> bool:
    """The privacy officer's pages: access by user, access to a case, unusual access."""
    return may(user, "privacy.audit_access")


def visible_persons(user: Any, case: Any) -> Any:
    """The persons of `case` the user may see: the case team sees all; others not the
    persons whose processing is restricted (AVG art. 18, privacy/services.py)."""
    persons = case.persons.all()
    if is_case_team(user, case):
        return persons
    return persons.filter(is_restricted=False)


def searchable_persons(user: Any) -> Any:
    """A filter on persons for searching across cases: restricted persons only for the
    case team (every coordinator; a casemanager for their own cases)."""
    from django.db.models import Q

    roles = roles_of(user)
    if Role.COORDINATOR in roles:
        return Q()
    if Role.CASEMANAGER in roles:
        return Q(is_restricted=False) | Q(case__casemanager=user)
    return Q(is_restricted=False)


def visible_deadlines(user: Any) -> Any:
    """Deadlines `user` may see: those of the cases they see, and deadlines without a case
    (the covenant's notice date, a data-subject request) of the kinds whose audience holds
    one of the user's roles (deadlines/registry.py says who is told of which kind)."""
    from django.db.models import Q

    from deadlines.models import Deadline

    return Deadline.objects.filter(
        Q(case__in=visible_cases(user).values("pk"))
        | Q(case__isnull=True, kind__in=deadline_kinds_without_case(user))
    )


def deadline_kinds_without_case(user: Any) -> list[str]:
    """Kinds of deadline without a case the user sees: those told to one of their roles."""
    from deadlines import registry

    roles = roles_of(user)
    return [
        kind.code
        for kind in registry.all_kinds()
        if roles & (kind.tell_before.roles | kind.tell_overdue.roles)
    ]


def may_see_deadlines(user: Any) -> bool:
    return may(user, "cases.view_case_content") or bool(deadline_kinds_without_case(user))


def visible_journal_entries(user: Any, case: Any) -> Any:
    """The journal of `case` as far as `user` may read it (confidentiality levels)."""
    from django.db.models import Q

    from cases.choices import Confidentiality

    entries = case.journal_entries.all()
    if is_case_team(user, case):
        return entries
    org = user.organisation_id
    return entries.filter(
        Q(confidentiality=Confidentiality.ALL_INVOLVED)
        | Q(confidentiality=Confidentiality.NAMED_ORGANISATIONS, visible_to=org)
        | Q(author_organisation=org)
    ).distinct()


def visible_documents(user: Any, case: Any) -> Any:
    from django.db.models import Q

    from cases.choices import Confidentiality

    documents = case.documents.all()
    if is_case_team(user, case):
        return documents
    org = user.organisation_id
    return documents.filter(
        Q(confidentiality=Confidentiality.ALL_INVOLVED)
        | Q(confidentiality=Confidentiality.NAMED_ORGANISATIONS, visible_to=org)
        | Q(uploaded_by_organisation=org)
    ).distinct()


def may_see_screening_detail(user: Any, case: Any) -> bool:
    """Police screening detail: police, casemanager and coordinator only."""
    from partners.choices import OrganisationKind

    if is_case_team(user, case):
        return True
    org = getattr(user, "organisation", None)
    return (
        org is not None
        and org.kind == OrganisationKind.POLICE
        and has_role(user, Role.PARTNER_REPRESENTATIVE)
    )


def may_manage_involvement(user: Any, case: Any) -> bool:
    """Add or end an organisation's involvement: the casemanager of the case or a coordinator."""
    return is_case_team(user, case)


def may_contribute_to_case(user: Any, case: Any) -> bool:
    """Add journal entries and documents: the case team, or a representative of an organisation
    actively involved in the case. Entries carry the author's organisation, so one is needed."""
    if getattr(user, "organisation_id", None) is None:
        return False
    if is_case_team(user, case):
        return True
    return (
        has_role(user, Role.PARTNER_REPRESENTATIVE)
        and case.involvements.filter(is_active=True, organisation_id=user.organisation_id).exists()
    )


def may_see_full_address(user: Any, case: Any) -> bool:
    """House number in lists: the case team only; involved partners see the street."""
    return is_case_team(user, case)


def may_edit_case_details(user: Any, case: Any) -> bool:
    """Correct the address and housing of a case: the case team."""
    return is_case_team(user, case)


def may_coordinate(user: Any) -> bool:
    """The coordinator's rights on every case: intake list, taking into handling, assigning a
    casemanager, the acute-escalation override, attaching a duplicate."""
    return may(user, "cases.coordinate_cases")


def may_open_intake(user: Any, case: Any) -> bool:
    """The intake page of a case: coordinators, and the casemanager assigned to it."""
    return is_case_team(user, case)


def may_assess_criteria(user: Any, case: Any) -> bool:
    """The six criteria, met / not met with motivation: the coordinator or the case's
    casemanager. The override for acute escalation stays with the coordinator."""
    return is_case_team(user, case)


def may_do_intake_checks(user: Any, case: Any) -> bool:
    """Ask the corporation's consent, ask a police screening, record the KRIS check."""
    return is_case_team(user, case)


def may_use_request_inbox(user: Any) -> bool:
    """Partner representatives answer consent and screening requests in their inbox."""
    return has_role(user, Role.PARTNER_REPRESENTATIVE) and user.organisation_id is not None


def visible_consent_requests(user: Any) -> Any:
    """Consent requests addressed to the user's own corporation: its representatives only."""
    from cases.models import ConsentRequest

    if not may_use_request_inbox(user):
        return ConsentRequest.objects.none()
    return ConsentRequest.objects.filter(corporation_id=user.organisation_id)


def visible_screening_requests(user: Any) -> Any:
    """Police screenings on cases the user's police organisation is involved in."""
    from django.db.models import Exists, OuterRef

    from cases.models import CaseInvolvement, PoliceScreening
    from partners.choices import OrganisationKind

    if not may_use_request_inbox(user) or user.organisation.kind != OrganisationKind.POLICE:
        return PoliceScreening.objects.none()
    involved = CaseInvolvement.objects.filter(
        case_id=OuterRef("case_id"), organisation_id=user.organisation_id, is_active=True
    )
    return PoliceScreening.objects.filter(Exists(involved))


def referrals_of(user: Any) -> Any:
    """The referrals `user` follows as a referrer: their organisation's, and those they made
    on another organisation's behalf (a coordinator). Their status only, never case content."""
    from django.db.models import Q

    from cases.models import Referral

    if not may(user, "cases.refer_case"):
        return Referral.objects.none()
    condition = Q(referrer=user)
    if user.organisation_id is not None:
        condition |= Q(organisation_id=user.organisation_id)
    return Referral.objects.filter(condition)


def may_refer_on_behalf(user: Any) -> bool:
    """A coordinator may fill in a referral for another organisation and pick it."""
    return has_role(user, Role.COORDINATOR) and may(user, "cases.refer_case")


# --- View decorators -------------------------------------------------------------------


def _mark(view: View, rule: str) -> View:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public(view: View) -> View:
    """Reachable without signing in (sign-in pages, accessibility statement)."""
    return _mark(view, "public")


def signed_in(view: View) -> View:
    """Any signed-in, verified user."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(wrapper, "signed_in")


def permission_required(permission: str) -> Callable[[View], View]:
    """A role-level right; signed-in users without it get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _mark(wrapper, f"permission:{permission}")

    return decorator


def custom_check(description: str) -> Callable[[View], View]:
    """The view itself calls an access function (object-level: 404 for outsiders).

    `description` names that function so a reader finds the check."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        return _mark(wrapper, f"custom:{description}")

    return decorator


# --- Third-party views routed without one of the decorators above -----------------------
#
# `tests/test_url_access.py` accepts a view without `access_rule` only when its url name
# ("namespace:name") or dotted path is listed here with its rule and the reason. Keep it
# empty where possible: wrap third-party views instead, as `partners/auth.py` does for
# django-two-factor-auth's and Django's sign-in and password-reset views (so none of those
# need an entry). Django's admin is not routed (docs/adr/0002-sign-in.md).
THIRD_PARTY_VIEW_RULES: dict[str, str] = {}
