"""The privacy officer's access pages (privacy/audit_views.py), under /privacy/toegang/."""

from django.urls import path

from . import audit_views

app_name = "privacy_audit"

urlpatterns = [
    path("", audit_views.index, name="index"),
    path("gebruiker/<int:pk>/", audit_views.by_user, name="by_user"),
    path("gebruiker/<int:pk>/csv/", audit_views.by_user_csv, name="by_user_csv"),
    path("casus/<int:pk>/", audit_views.by_case, name="by_case"),
    path("casus/<int:pk>/csv/", audit_views.by_case_csv, name="by_case_csv"),
    path("ongebruikelijk/", audit_views.unusual, name="unusual"),
    path("ongebruikelijk/csv/", audit_views.unusual_csv, name="unusual_csv"),
    path("nood/", audit_views.emergency, name="emergency"),
]
