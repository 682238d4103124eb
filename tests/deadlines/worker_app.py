"""The Celery app of the subprocess workers in test_scan_worker.py.

The project's app with two test-only changes: results go to the broker's Redis (so a test
waits for a task's return value) and an unacknowledged message becomes visible again after
3 seconds instead of an hour (so a killed worker's task is redelivered within the test)."""

from celery import Celery

app = Celery("woonoverlast")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.result_backend = app.conf.broker_url
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,  # the xdist worker's key prefix (settings/test.py)
    "visibility_timeout": 3,
    "unacked_restore_throttle": 1,
}
app.autodiscover_tasks()
