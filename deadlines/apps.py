from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        from . import kinds

        # The registry of deadline kinds. Other apps register theirs in their own ready().
        kinds.register_builtin()
