"""Every write to organisations, users, networks, districts and the covenant.

Functions are named `<noun>_<verb>`, take keyword-only arguments and the acting user `by`.
`by` is set as `_history_user` on every saved row, so simple-history records who changed
what also outside a request (management commands, tasks). Nothing is hard-deleted that
may have history: organisations, users, networks and districts are deactivated.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from . import access
from .choices import OrganisationKind, RepresentativeKind, Role
from .models import Covenant, District, Network, NetworkRepresentative, Organisation, User

if TYPE_CHECKING:
    from django.http import HttpRequest


PASSWORD_SETUP_URL_NAME = "password_reset_confirm"  # noqa: S105 - a URL name


def _save(instance: Model, *, by: User | None, update_fields: list[str] | None = None) -> None:
    instance._history_user = by  # type: ignore[attr-defined]
    instance.save(update_fields=update_fields)


# --- Organisations ---------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: OrganisationKind | str,
    short_name: str = "",
    obligations: str = "",
    on_call_only: bool = False,
    by: User | None,
) -> Organisation:
    organisation = Organisation(
        name=name,
        kind=kind,
        short_name=short_name,
        obligations=obligations,
        on_call_only=on_call_only,
    )
    _save(organisation, by=by)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    name: str,
    kind: OrganisationKind | str,
    short_name: str,
    obligations: str,
    on_call_only: bool,
    by: User | None,
) -> Organisation:
    organisation.name = name
    organisation.kind = kind
    organisation.short_name = short_name
    organisation.obligations = obligations
    organisation.on_call_only = on_call_only
    _save(organisation, by=by)
    return organisation


@transaction.atomic
def organisation_set_active(
    *, organisation: Organisation, active: bool, by: User | None
) -> Organisation:
    """Deactivate or reactivate. Users of the organisation keep their own status."""
    organisation.is_active = active
    _save(organisation, by=by, update_fields=["is_active", "updated_at"])
    return organisation


# --- Users and roles -------------------------------------------------------------------


def _role_groups(roles: Iterable[Role | str]) -> list[Group]:
    names = sorted({Role(role).value for role in roles})
    existing = {group.name: group for group in Group.objects.filter(name__in=names)}
    return [existing.get(name) or Group.objects.get_or_create(name=name)[0] for name in names]


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[Role | str], by: User | None) -> User:
    """The one place a user's roles change: their groups become exactly these roles.

    A functional administrator cannot take the role away from themselves (nobody would be
    left to give it back)."""
    roles = {Role(role) for role in roles}
    if by is not None and by.pk == user.pk and Role.FUNCTIONAL_ADMIN not in roles:
        current = set(user.groups.values_list("name", flat=True))
        if Role.FUNCTIONAL_ADMIN.value in current:
            raise ValidationError(
                {"roles": _("You cannot remove the functional administrator role from yourself.")}
            )
    user._history_user = by  # type: ignore[attr-defined]
    user.groups.set(_role_groups(roles))
    access.forget_roles(user)
    # `set()` dropped the organisation group: put it back (involvement grants go through it).
    access.sync_user_organisation_group(user)
    return user


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    roles: Iterable[Role | str],
    job_title: str = "",
    phone: str = "",
    is_demo: bool = False,
    password: str | None = None,
    by: User | None,
) -> User:
    """A new user. Without `password` it is unusable: the user sets one through the
    password-reset link (`user_send_password_setup`)."""
    user = User(
        email=User.objects.normalize_email(email).lower(),
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        job_title=job_title,
        phone=phone,
        is_demo=is_demo,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    _save(user, by=by)
    user_set_roles(user=user, roles=roles, by=by)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    job_title: str,
    phone: str,
    roles: Iterable[Role | str] | None = None,
    by: User | None,
) -> User:
    """Change a user's details and, when `roles` is given, their roles (all or nothing)."""
    user.email = User.objects.normalize_email(email).lower()
    user.first_name = first_name
    user.last_name = last_name
    user.organisation = organisation
    user.job_title = job_title
    user.phone = phone
    _save(user, by=by)
    if roles is not None:
        user_set_roles(user=user, roles=roles, by=by)
    else:
        # A new organisation: the old one's case grants end, the new one's apply, at once.
        access.sync_user_organisation_group(user)
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, by: User | None) -> User:
    """Deactivate (cannot sign in any more, history stays) or reactivate a user.

    Deactivating a user also ends their active network representations."""
    if not active and by is not None and by.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    _save(user, by=by, update_fields=["is_active"])
    if not active:
        for representative in NetworkRepresentative.objects.filter(user=user, is_active=True):
            network_representative_deactivate(representative=representative, by=by)
    return user


class _AccountSetupForm(PasswordResetForm):
    """Django's reset mail, for exactly one user – also one without a usable password yet."""

    def __init__(self, user: User) -> None:
        super().__init__(data={"email": user.email})
        self._user = user

    def get_users(self, email: str) -> Iterable[Any]:
        return [self._user] if self._user.is_active else []


def password_setup_available() -> bool:
    """Whether the project has the password-reset views the setup link points to."""
    try:
        reverse(PASSWORD_SETUP_URL_NAME, kwargs={"uidb64": "x", "token": "x-x"})
    except NoReverseMatch:
        return False
    return True


def user_send_password_setup(*, user: User, request: HttpRequest) -> bool:
    """Mail the user a one-time link to set their password, after the transaction commits.

    Returns False (and sends nothing) when the password-reset views are not installed; the
    administrator then tells the user to use "forgot password"."""
    if not password_setup_available():
        return False

    domain = request.get_host()
    use_https = request.is_secure()

    def send() -> None:
        form = _AccountSetupForm(user)
        form.is_valid()
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name="partners/email/account_setup_subject.txt",
            email_template_name="partners/email/account_setup_email.txt",
        )

    transaction.on_commit(send)
    return True


# --- Districts -------------------------------------------------------------------------


@transaction.atomic
def district_create(*, name: str, by: User | None) -> District:
    district = District(name=name)
    _save(district, by=by)
    return district


@transaction.atomic
def district_update(*, district: District, name: str, by: User | None) -> District:
    district.name = name
    _save(district, by=by)
    return district


@transaction.atomic
def district_set_active(*, district: District, active: bool, by: User | None) -> District:
    district.is_active = active
    _save(district, by=by, update_fields=["is_active"])
    return district


# --- Networks and their representatives ------------------------------------------------


@transaction.atomic
def network_create(*, name: str, districts: Iterable[District], by: User | None) -> Network:
    network = Network(name=name)
    _save(network, by=by)
    network.districts.set(list(districts))
    return network


@transaction.atomic
def network_update(
    *, network: Network, name: str, districts: Iterable[District], by: User | None
) -> Network:
    network.name = name
    _save(network, by=by)
    network.districts.set(list(districts))
    return network


@transaction.atomic
def network_set_active(*, network: Network, active: bool, by: User | None) -> Network:
    network.is_active = active
    _save(network, by=by, update_fields=["is_active"])
    return network


@transaction.atomic
def network_representative_add(
    *,
    network: Network,
    user: User,
    kind: RepresentativeKind | str = RepresentativeKind.STANDING,
    by: User | None,
) -> NetworkRepresentative:
    """The user represents their own organisation in the network, standing or substitute."""
    if user.organisation_id is None:
        raise ValidationError({"user": _("This person does not belong to an organisation.")})
    if not user.is_active:
        raise ValidationError({"user": _("This person's account is deactivated.")})
    if NetworkRepresentative.objects.filter(network=network, user=user, is_active=True).exists():
        raise ValidationError(
            {"user": _("This person already represents their organisation in this network.")}
        )
    representative = NetworkRepresentative(
        network=network, organisation_id=user.organisation_id, user=user, kind=kind
    )
    _save(representative, by=by)
    return representative


@transaction.atomic
def network_representative_deactivate(
    *, representative: NetworkRepresentative, by: User | None
) -> NetworkRepresentative:
    representative.is_active = False
    _save(representative, by=by, update_fields=["is_active"])
    return representative


@transaction.atomic
def network_representative_remove(
    *, representative: NetworkRepresentative, by: User | None
) -> bool:
    """Remove a representation entered by mistake. One that other records refer to (e.g.
    meeting attendance) is deactivated instead. Returns True when the row was deleted."""
    try:
        with transaction.atomic():
            representative._history_user = by  # type: ignore[attr-defined]
            representative.delete()
    except ProtectedError:
        network_representative_deactivate(representative=representative, by=by)
        return False
    return True


# --- Covenant --------------------------------------------------------------------------


@transaction.atomic
def covenant_update(
    *,
    covenant: Covenant,
    title: str,
    signed_on: datetime.date,
    starts_on: datetime.date,
    first_term_ends_on: datetime.date,
    renews_tacitly: bool,
    notice_months: int,
    general_obligations: str,
    is_active: bool,
    parties: Iterable[Organisation],
    by: User | None,
) -> Covenant:
    covenant.title = title
    covenant.signed_on = signed_on
    covenant.starts_on = starts_on
    covenant.first_term_ends_on = first_term_ends_on
    covenant.renews_tacitly = renews_tacitly
    covenant.notice_months = notice_months
    covenant.general_obligations = general_obligations
    covenant.is_active = is_active
    _save(covenant, by=by)
    covenant.parties.set(list(parties))
    return covenant
