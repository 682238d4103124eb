"""Every read for the administration pages: one query per list, related rows joined or
prefetched so a page costs the same with 1 or 500 rows."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Covenant, District, Network, NetworkRepresentative, Organisation, User


def organisation_list() -> QuerySet[Organisation]:
    """All organisations, active first, with their number of active users."""
    return Organisation.objects.annotate(
        active_user_count=Count("users", filter=Q(users__is_active=True))
    ).order_by("-is_active", "name")


def organisation_get(*, pk: int) -> Organisation:
    return get_object_or_404(Organisation, pk=pk)


def organisation_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


def user_list(
    *,
    search: str = "",
    organisation: Organisation | None = None,
    active: bool | None = None,
) -> QuerySet[User]:
    """Users with their organisation and roles; `search` matches name or e-mail address."""
    users = User.objects.select_related("organisation").prefetch_related(
        Prefetch("groups", queryset=Group.objects.only("id", "name"))
    )
    for term in search.split():
        users = users.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
        )
    if organisation is not None:
        users = users.filter(organisation=organisation)
    if active is not None:
        users = users.filter(is_active=active)
    return users.order_by("last_name", "first_name", "email")


def user_get(*, pk: int) -> User:
    return get_object_or_404(
        User.objects.select_related("organisation").prefetch_related("groups"), pk=pk
    )


def district_list() -> QuerySet[District]:
    return District.objects.prefetch_related(
        Prefetch("networks", queryset=Network.objects.only("id", "name"))
    ).order_by("-is_active", "name")


def district_get(*, pk: int) -> District:
    return get_object_or_404(District, pk=pk)


def district_choices() -> QuerySet[District]:
    return District.objects.filter(is_active=True).order_by("name")


def network_list() -> QuerySet[Network]:
    return (
        Network.objects.prefetch_related(
            Prefetch("districts", queryset=District.objects.only("id", "name"))
        )
        .annotate(
            representative_count=Count("representatives", filter=Q(representatives__is_active=True))
        )
        .order_by("-is_active", "name")
    )


def network_get(*, pk: int) -> Network:
    return get_object_or_404(Network.objects.prefetch_related("districts"), pk=pk)


def network_representatives(*, network: Network) -> QuerySet[NetworkRepresentative]:
    """The network's representatives, active first, by organisation, standing before substitute."""
    return (
        NetworkRepresentative.objects.filter(network=network)
        .select_related("organisation", "user")
        .order_by("-is_active", "organisation__name", "kind", "user__last_name")
    )


def network_representative_get(*, network: Network, pk: int) -> NetworkRepresentative:
    return get_object_or_404(
        NetworkRepresentative.objects.select_related("user", "organisation"), network=network, pk=pk
    )


def representative_candidates(*, network: Network) -> QuerySet[User]:
    """Active users of an active organisation who do not yet represent it in this network."""
    taken = NetworkRepresentative.objects.filter(network=network, is_active=True).values("user_id")
    return (
        User.objects.filter(is_active=True, organisation__is_active=True)
        .exclude(pk__in=taken)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


def covenant_current() -> Covenant | None:
    """The covenant in force (the most recent one when there are several)."""
    return (
        Covenant.objects.filter(is_active=True)
        .prefetch_related(Prefetch("parties", queryset=Organisation.objects.order_by("name")))
        .order_by("-starts_on", "-pk")
        .first()
    ) or Covenant.objects.prefetch_related("parties").order_by("-starts_on", "-pk").first()


def covenant_get(*, pk: int) -> Covenant:
    return get_object_or_404(Covenant.objects.prefetch_related("parties"), pk=pk)
