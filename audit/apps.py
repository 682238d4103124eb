from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The read log and refused access attempts: a ground-floor app beside `partners`.

    It knows nothing of cases: every app's access functions write it, and privacy's officer
    pages (on the top floor) read it."""

    name = "audit"
    verbose_name = _("Access log")  # existing msgid ("Leeslog")
