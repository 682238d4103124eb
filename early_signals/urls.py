from django.urls import path

from . import views

app_name = "early_signals"

urlpatterns = [
    path("", views.signal_list, name="list"),
    path("nieuw/", views.signal_new, name="new"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/notitie/", views.signal_note, name="note"),
    path("<int:pk>/koppelen/", views.signal_link, name="link"),
    path("<int:pk>/uitnodigen/", views.signal_invite, name="invite"),
    path("<int:pk>/afsluiten/", views.signal_close, name="close"),
    path("<int:pk>/aanmelden/", views.signal_refer, name="refer"),
]
