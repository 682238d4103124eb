from django.urls import include, path
from django.views.i18n import set_language

from partners import access
from partners import auth as partner_auth
from partners import views as partner_views
from woonoverlast import health
from woonoverlast import views as project_views

urlpatterns = [
    path("", project_views.dashboard, name="dashboard"),
    # Answered by woonoverlast.health.HealthMiddleware before any other middleware; listed
    # here for the URL walk and the permission matrix.
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    # Sign-in, enrolment, sign-out and password reset; each view wrapped in partners/auth.py.
    path("account/", include(partner_auth.urlpatterns)),
    path("i18n/setlang/", access.public(set_language), name="set_language"),
    path("casussen/", include("cases.urls")),
    path("overleggen/", include("meetings.urls")),
    path("signalen/", include("early_signals.urls")),
    path("cijfers/", include("figures.urls")),
    path("toegankelijkheid/", partner_views.accessibility_statement, name="accessibility"),
    path("beheer/", include("partners.urls", namespace="partners")),
    path("privacy/toegang/", include("privacy.audit_urls")),
    path("privacy/", include("privacy.rights_urls")),
    path("beheer/meldingen/", include("notifications.admin_urls")),
    path("meldingen/", include("notifications.urls")),
]

# 503 with Retry-After while the database cannot be reached; the general 500 page otherwise.
handler500 = "woonoverlast.errors.server_error"
