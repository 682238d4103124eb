from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        # Framework glue only: who is the actor of a history row (privacy/history.py).
        from celery.signals import task_postrun, task_prerun
        from django.db.models.signals import post_save, pre_save
        from simple_history.signals import pre_create_historical_record

        from partners.models import User

        from . import checks, deadline_kinds, history  # noqa: F401 - checks registers itself

        deadline_kinds.register_kinds()

        pre_create_historical_record.connect(history.fill_in_actor, dispatch_uid="privacy.actor")
        pre_save.connect(history.skip_user_noise, sender=User, dispatch_uid="privacy.user_noise")
        post_save.connect(
            history.end_skip_user_noise, sender=User, dispatch_uid="privacy.user_noise_end"
        )
        task_prerun.connect(history.task_started, dispatch_uid="privacy.task_started")
        task_postrun.connect(history.task_finished, dispatch_uid="privacy.task_finished")
