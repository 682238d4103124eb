"""URLs of the data-subject request pages and the processing register (namespace
`privacy_rights`, under /privacy/ in woonoverlast/urls.py)."""

from django.urls import path

from . import rights_views as views

app_name = "privacy_rights"

urlpatterns = [
    path("verwerkingsregister/", views.processing_register, name="processing_register"),
    path("bewaartermijn/", views.retention_overview, name="retention"),
    path("verzoeken/", views.request_list, name="request_list"),
    path("verzoeken/nieuw/", views.request_new, name="request_new"),
    path("verzoeken/<int:pk>/", views.request_detail, name="request_detail"),
    path("verzoeken/<int:pk>/termijn/", views.request_extend, name="request_extend"),
    path("verzoeken/<int:pk>/besluit/", views.request_decide, name="request_decide"),
    path("verzoeken/<int:pk>/inzage/", views.export_start, name="export_start"),
    path("verzoeken/<int:pk>/inzage/voortgang/", views.export_progress, name="export_progress"),
    path("verzoeken/<int:pk>/inzage/<str:fmt>/", views.export_download, name="export_download"),
]
