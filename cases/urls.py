from django.urls import path

from .views import case

app_name = "cases"

urlpatterns = [
    path("", case.case_list, name="list"),
    path("<int:pk>/", case.case_detail, name="detail"),
    path("<int:pk>/stap/", case.case_transition, name="transition"),
    path("<int:pk>/betrokkenen/nieuw/", case.involvement_add, name="involvement_add"),
    path(
        "<int:pk>/betrokkenen/<int:organisation_pk>/beeindigen/",
        case.involvement_end,
        name="involvement_end",
    ),
    path("<int:pk>/journaal/nieuw/", case.journal_add, name="journal_add"),
    path("<int:pk>/journaal/<int:entry_pk>/", case.journal_entry, name="journal_entry"),
    path("<int:pk>/documenten/nieuw/", case.document_upload, name="document_upload"),
    path(
        "<int:pk>/documenten/<int:document_pk>/", case.document_download, name="document_download"
    ),
]
