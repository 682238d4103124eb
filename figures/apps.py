from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "figures"
    verbose_name = _("Figures")

    def ready(self) -> None:
        # The advisory and steering group agendas attach the current figures; meetings sits
        # below figures (layers in pyproject.toml), so figures registers them there.
        from meetings.current_figures import register_meeting_figures

        from .access import may_view_figures
        from .agenda import agenda_figure_tables

        register_meeting_figures(tables=agenda_figure_tables, may_open_report=may_view_figures)
