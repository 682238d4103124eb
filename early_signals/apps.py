from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlySignalsConfig(AppConfig):
    name = "early_signals"
    verbose_name = _("Early signals")

    def ready(self) -> None:
        # Framework glue: cases and privacy (below or beside this app) may not import it, so
        # it registers its parts in their registries (cases/extensions.py, cases/purge.py).
        from cases.extensions import register_intake_panel, register_referral_submitted
        from cases.purge import RetentionSource, register_case_purge, register_retention_source

        from . import services, views

        register_referral_submitted("early_signals", services.signals_attach_to_case)
        register_intake_panel("early_signals", views.intake_panel)
        register_case_purge("early_signals", services.signals_purge_for_case)
        register_retention_source(
            RetentionSource(
                name="early_signals",
                rule=services.retention_rule,
                due=services.retention_due_lines,
                purge=services.retention_purge,
            )
        )
