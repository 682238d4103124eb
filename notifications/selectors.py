"""Every read on notifications. A user only ever sees their own notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import DeliveryFailure, Notification

if TYPE_CHECKING:
    from partners.models import User


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first (index `notification_list_idx`)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_get_for_user(*, user: User, pk: int) -> Notification:
    """The notification, or Http404 when it does not exist or is someone else's."""
    return get_object_or_404(notification_list_for_user(user=user), pk=pk)


def unread_count(*, user: User) -> int:
    """One COUNT over the partial index `notification_unread_idx`."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def delivery_failure_list() -> QuerySet[DeliveryFailure]:
    """Final e-mail failures for the functional administrator, newest first."""
    return DeliveryFailure.objects.select_related("recipient", "notification").order_by(
        "-failed_at", "-id"
    )
