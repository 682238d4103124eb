"""The Celery application: deadline scans, notifications and long exports run here."""

import logging.config
import os
from typing import Any

from celery import Celery, shared_task, signals
from django.conf import settings

from woonoverlast import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonoverlast.settings.dev")

app = Celery("woonoverlast")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A task queued during a web request carries its request id; the worker logs with it.
logs.connect_celery()


@signals.setup_logging.connect
def _django_logging(**kwargs: Any) -> None:
    """The worker and beat log as the settings say (JSON lines in production) instead of
    Celery's own format: a receiver here keeps Celery from configuring logging itself."""
    logging.config.dictConfig(settings.LOGGING)


@shared_task(name="woonoverlast.ping")
def ping() -> str:
    """Round-trip probe: proves a worker is consuming from the broker."""
    return "pong"
