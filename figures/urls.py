from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("jaarverslag/", views.annual_report, name="report"),
    path("jaarverslag/csv/", views.annual_report_csv, name="report_csv"),
    path("jaarverslag/pdf/", views.annual_report_pdf, name="report_pdf"),
    path("resultaatafspraken/", views.agreements, name="agreements"),
    path("resultaatafspraken/<int:pk>/", views.agreements, name="agreement_edit"),
]
