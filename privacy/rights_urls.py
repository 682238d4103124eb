"""URLs of the data-subject request pages and the processing register (namespace
`privacy_rights`, under /privacy/ in woonoverlast/urls.py)."""

from django.urls import path

from . import basis_views
from . import rights_views as views

app_name = "privacy_rights"

urlpatterns = [
    path("verwerkingsregister/", views.processing_register, name="processing_register"),
    path("grondslagen/", basis_views.basis_list, name="basis_list"),
    path("grondslagen/nieuw/", basis_views.basis_new, name="basis_new"),
    path("grondslagen/<int:pk>/", basis_views.basis_edit, name="basis_edit"),
    path("grondslagen/<int:pk>/actief/", basis_views.basis_set_active, name="basis_set_active"),
    path("grondslagen/te-beoordelen/", basis_views.basis_review_list, name="basis_review_list"),
    path(
        "grondslagen/te-beoordelen/<str:kind>/<int:pk>/",
        basis_views.basis_review,
        name="basis_review",
    ),
    path("bewaartermijn/", views.retention_overview, name="retention"),
    path("verzoeken/", views.request_list, name="request_list"),
    path("verzoeken/nieuw/", views.request_new, name="request_new"),
    path("verzoeken/<int:pk>/", views.request_detail, name="request_detail"),
    path("verzoeken/<int:pk>/termijn/", views.request_extend, name="request_extend"),
    path("verzoeken/<int:pk>/besluit/", views.request_decide, name="request_decide"),
    path("verzoeken/<int:pk>/inzage/", views.export_start, name="export_start"),
    path("verzoeken/<int:pk>/inzage/beoordelen/", views.export_review, name="export_review"),
    path("verzoeken/<int:pk>/inzage/voortgang/", views.export_progress, name="export_progress"),
    path("verzoeken/<int:pk>/inzage/<str:fmt>/", views.export_download, name="export_download"),
]
