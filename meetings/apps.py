from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # Erasure and retention (privacy, a sibling app that may not import this one) delete
        # the cached agenda and minutes PDFs of the meetings that discussed the case.
        from cases.purge import register_case_purge

        from . import services

        register_case_purge("meeting_documents", services.meeting_documents_purge_for_case)
