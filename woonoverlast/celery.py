"""The Celery application: deadline scans, notifications and long exports run here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonoverlast.settings.dev")

app = Celery("woonoverlast")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
