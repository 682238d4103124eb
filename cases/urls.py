from django.urls import path

from .views import case

app_name = "cases"

urlpatterns = [
    path("<int:pk>/", case.case_detail, name="detail"),
]
