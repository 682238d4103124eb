"""The bell in the page header and the sentence of a notification."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from notifications import selectors
from notifications.domain.messages import render

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    unread = context.get("unread")  # counted by the page already (the notification list)
    if unread is None:
        unread = selectors.unread_count(user=user) if user is not None else 0
    return {
        "unread": unread,
        "current": getattr(request, "path", None) == reverse("notifications:list"),
    }


@register.filter
def notification_text(notification: Any) -> str:
    return render(notification.event, notification.context)
