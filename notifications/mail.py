"""Sending notification e-mails (placeholder; filled in below)."""

from __future__ import annotations


def send_immediate(notification_pk: int) -> bool:
    return False
