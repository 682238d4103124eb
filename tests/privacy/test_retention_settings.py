"""RETENTION_YEARS_AFTER_CLOSING may never be shorter than the recidivism window."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from privacy.checks import retention_covers_recidivism


def test_default_retention_is_longer_than_the_recidivism_window(settings):
    assert settings.RETENTION_YEARS_AFTER_CLOSING >= settings.RECIDIVISM_YEARS
    assert retention_covers_recidivism() == []


def test_retention_shorter_than_recidivism_is_a_system_check_error(settings):
    settings.RETENTION_YEARS_AFTER_CLOSING = 2
    settings.RECIDIVISM_YEARS = 3
    errors = retention_covers_recidivism()
    assert [e.id for e in errors] == ["privacy.E001"]
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_the_retention_job_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert entry["task"] == "privacy.retention_run"
