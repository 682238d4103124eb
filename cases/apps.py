from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Framework glue: deadlines (a lower layer) learns which cases a user sees without
        # importing cases (deadlines/access.py says why).
        from deadlines.access import register_case_scope

        from . import access

        register_case_scope(access.sees_case)
