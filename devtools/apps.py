from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevtoolsConfig(AppConfig):
    """Management commands for development: seed_demo, seed_demo_cases, benchmark_*."""

    name = "devtools"
    verbose_name = _("Development tools")
