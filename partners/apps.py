from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from . import roles

        # Framework glue: keep one group per role with the permissions of roles.py. Django
        # creates each app's permissions in that app's own post_migrate, and apps listed after
        # partners (privacy, cases, ...) come later; so the groups are synced after every app,
        # and the last run sees every permission. This also holds after a `flush` (tests),
        # where no migration recreates them first.
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="partners.sync_role_groups")
