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
