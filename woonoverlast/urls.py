from django.urls import include, path
from django.views.i18n import set_language
from two_factor.urls import urlpatterns as two_factor_patterns

from partners import views as partner_views
from privacy import access

urlpatterns = [
    path("", partner_views.dashboard, name="dashboard"),
    path("account/", include(two_factor_patterns)),
    path("i18n/setlang/", access.public(set_language), name="set_language"),
    path("casussen/", include("cases.urls")),
    path("toegankelijkheid/", partner_views.accessibility_statement, name="accessibility"),
]
