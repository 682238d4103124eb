"""Functional administration, mounted at /beheer/ with namespace `partners`."""

from django.urls import path

from . import admin_views as views

app_name = "partners"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organisaties/nieuw/", views.organisation_create, name="organisation_create"),
    path("organisaties/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisaties/<int:pk>/deactiveren/",
        views.organisation_set_active,
        {"active": False},
        name="organisation_deactivate",
    ),
    path(
        "organisaties/<int:pk>/activeren/",
        views.organisation_set_active,
        {"active": True},
        name="organisation_reactivate",
    ),
    path("gebruikers/", views.user_list, name="user_list"),
    path("gebruikers/nieuw/", views.user_create, name="user_create"),
    path("gebruikers/<int:pk>/", views.user_edit, name="user_edit"),
    path(
        "gebruikers/<int:pk>/deactiveren/",
        views.user_set_active,
        {"active": False},
        name="user_deactivate",
    ),
    path(
        "gebruikers/<int:pk>/activeren/",
        views.user_set_active,
        {"active": True},
        name="user_reactivate",
    ),
    path(
        "gebruikers/<int:pk>/wachtwoordlink/",
        views.user_send_password_setup,
        name="user_send_password_setup",
    ),
    path("netwerken/", views.network_list, name="network_list"),
    path("netwerken/nieuw/", views.network_create, name="network_create"),
    path("netwerken/<int:pk>/", views.network_detail, name="network_detail"),
    path("netwerken/<int:pk>/bewerken/", views.network_edit, name="network_edit"),
    path(
        "netwerken/<int:pk>/deactiveren/",
        views.network_set_active,
        {"active": False},
        name="network_deactivate",
    ),
    path(
        "netwerken/<int:pk>/activeren/",
        views.network_set_active,
        {"active": True},
        name="network_reactivate",
    ),
    path(
        "netwerken/<int:pk>/vertegenwoordigers/",
        views.network_representative_add,
        name="network_representative_add",
    ),
    path(
        "netwerken/<int:pk>/vertegenwoordigers/<int:rep_pk>/deactiveren/",
        views.network_representative_deactivate,
        name="network_representative_deactivate",
    ),
    path(
        "netwerken/<int:pk>/vertegenwoordigers/<int:rep_pk>/verwijderen/",
        views.network_representative_remove,
        name="network_representative_remove",
    ),
    path("wijken/", views.district_list, name="district_list"),
    path("wijken/nieuw/", views.district_create, name="district_create"),
    path("wijken/<int:pk>/", views.district_edit, name="district_edit"),
    path(
        "wijken/<int:pk>/deactiveren/",
        views.district_set_active,
        {"active": False},
        name="district_deactivate",
    ),
    path(
        "wijken/<int:pk>/activeren/",
        views.district_set_active,
        {"active": True},
        name="district_reactivate",
    ),
    path("convenant/", views.covenant_detail, name="covenant_detail"),
    path("convenant/<int:pk>/bewerken/", views.covenant_edit, name="covenant_edit"),
]
