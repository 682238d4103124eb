from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlySignalsConfig(AppConfig):
    name = "early_signals"
    verbose_name = _("Early signals")

    def ready(self) -> None:
        # Framework glue: cases and privacy (below or beside this app) may not import it, so
        # it registers its parts in their registries (cases/extensions.py, cases/purge.py).
        from cases.extensions import (
            register_case_attached,
            register_case_panel,
            register_export_section,
            register_history_source,
            register_intake_panel,
            register_referral_submitted,
        )
        from cases.purge import (
            RetentionSource,
            register_case_purge,
            register_draft_release,
            register_retention_source,
        )

        from . import case_parts, services, views

        register_referral_submitted("early_signals", services.signals_attach_to_case)
        register_case_attached("early_signals", services.signals_move_to_case)
        register_intake_panel("early_signals", views.intake_panel)
        register_case_panel("early_signals", views.case_panel)
        register_history_source(case_parts.KIND, case_parts.KIND_LABEL, case_parts.history_sources)
        register_export_section(case_parts.EXPORT_SECTION)
        register_case_purge("early_signals", services.signals_purge_for_case)
        register_draft_release("early_signals", services.signals_release_from_draft)
        register_retention_source(
            RetentionSource(
                name="early_signals",
                rule=services.retention_rule,
                due=services.retention_due_lines,
                purge=services.retention_purge,
            )
        )
