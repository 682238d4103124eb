from django.urls import path

from . import views, views_agenda, views_schedule

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("plannen/", views.meeting_plan, name="plan"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/agenda/voorstellen/", views.agenda_propose, name="agenda_propose"),
    path("<int:pk>/agenda/publiceren/", views.agenda_publish, name="agenda_publish"),
    path("<int:pk>/punten/<int:item_pk>/verslag/", views.item_minutes, name="item_minutes"),
    path("<int:pk>/punten/<int:item_pk>/besluit/", views.decision_add, name="decision_add"),
    path("<int:pk>/verslag/vaststellen/", views.minutes_finalise, name="minutes_finalise"),
    path("<int:pk>/pdf/<str:kind>/maken/", views.document_request, name="document_request"),
    path("<int:pk>/pdf/<str:kind>/", views.document_download, name="document_download"),
    path("reeks/plannen/", views_schedule.series_plan, name="series_plan"),
    path("<int:pk>/verplaatsen/", views_schedule.meeting_move, name="move"),
    path("<int:pk>/afgelasten/", views_schedule.meeting_cancel, name="cancel"),
    path(
        "<int:pk>/uitnodigingen/<int:invitation_pk>/afmelden/",
        views_schedule.apologies,
        name="apologies",
    ),
    path("<int:pk>/aanwezigheid/", views_schedule.attendance, name="attendance"),
    path("<int:pk>/leden/uitnodigen/", views_schedule.member_invite, name="member_invite"),
    path("<int:pk>/verslag/correctie/", views_schedule.addendum_add, name="addendum_add"),
    # agenda editing and bottlenecks
    path("<int:pk>/agenda/bewerken/", views_agenda.agenda_edit, name="agenda_edit"),
    path("<int:pk>/agenda/punt/", views_agenda.agenda_item_add, name="agenda_item_add"),
    path("<int:pk>/agenda/knelpunten/", views_agenda.agenda_bottlenecks, name="agenda_bottlenecks"),
    path(
        "<int:pk>/punten/<int:item_pk>/bewerken/",
        views_agenda.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "<int:pk>/punten/<int:item_pk>/verplaatsen/",
        views_agenda.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "<int:pk>/punten/<int:item_pk>/schrappen/",
        views_agenda.agenda_item_drop,
        name="agenda_item_drop",
    ),
    path("<int:pk>/punten/<int:item_pk>/oproepen/", views_agenda.item_call, name="item_call"),
    path("knelpunten/", views_agenda.bottleneck_list, name="bottlenecks"),
    path(
        "knelpunten/<int:pk>/oplossen/", views_agenda.bottleneck_resolve, name="bottleneck_resolve"
    ),
]
