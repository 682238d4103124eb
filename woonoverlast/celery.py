"""The Celery application: deadline scans, notifications and long exports run here."""

import os

from celery import Celery, shared_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonoverlast.settings.dev")

app = Celery("woonoverlast")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@shared_task(name="woonoverlast.ping")
def ping() -> str:
    """Round-trip probe: proves a worker is consuming from the broker."""
    return "pong"
