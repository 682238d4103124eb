"""System checks of the privacy settings (run at start-up and by `manage.py check`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def retention_covers_recidivism(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Retention may not remove data the recidivism check still needs (DOMAIN.md §7)."""
    years = settings.RETENTION_YEARS_AFTER_CLOSING
    window = settings.RECIDIVISM_YEARS
    if years < window:
        return [
            Error(
                f"RETENTION_YEARS_AFTER_CLOSING ({years}) is shorter than RECIDIVISM_YEARS "
                f"({window}): closed cases would lose their data inside the recidivism window.",
                hint="Set RETENTION_YEARS_AFTER_CLOSING to at least RECIDIVISM_YEARS.",
                id="privacy.E001",
            )
        ]
    return []


@register()
def retention_periods_are_sane(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """The shorter periods of redirected referrals and drafts fit (README, privacy section)."""
    errors = []
    redirected = settings.RETENTION_REDIRECTED_DAYS
    if not 1 <= redirected <= settings.RETENTION_YEARS_AFTER_CLOSING * 365:
        errors.append(
            Error(
                f"RETENTION_REDIRECTED_DAYS ({redirected}) must be at least 1 and no longer "
                f"than RETENTION_YEARS_AFTER_CLOSING ({settings.RETENTION_YEARS_AFTER_CLOSING} "
                "years).",
                hint="The default is 365 days.",
                id="privacy.E002",
            )
        )
    drafts, notice = settings.DRAFT_RETENTION_DAYS, settings.DRAFT_PURGE_NOTICE_DAYS
    if not 1 <= notice < drafts:
        errors.append(
            Error(
                f"DRAFT_PURGE_NOTICE_DAYS ({notice}) must be at least 1 and shorter than "
                f"DRAFT_RETENTION_DAYS ({drafts}).",
                hint="The defaults are 7 and 90 days.",
                id="privacy.E003",
            )
        )
    return errors
