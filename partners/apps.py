from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from . import roles

        # Framework glue: keep one group per role with the permissions of roles.py.
        post_migrate.connect(roles.sync_role_groups, sender=self)
