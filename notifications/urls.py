"""Notifications, mounted at /meldingen/ with namespace `notifications`."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("teller/", views.notification_bell, name="bell"),
    path("instellingen/", views.notification_settings, name="settings"),
    path("alles-gelezen/", views.notification_mark_all_read, name="mark_all_read"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/gelezen/", views.notification_mark_read, name="mark_read"),
]
