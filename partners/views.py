import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partners import access

# When templates/accessibility_statement.html was last checked against the application.
# Change both together after an audit or a change in what the statement says.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 25)


@access.public
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    context = {
        "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
    return render(request, "accessibility_statement.html", context)
