"""The functional administrator's page on e-mail failures, mounted at /beheer/meldingen/
with namespace `notifications_admin` (next to the partners' administration)."""

from django.urls import path

from . import views

app_name = "notifications_admin"

urlpatterns = [
    path("mislukt/", views.delivery_failure_list, name="failures"),
]
