from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from privacy import access


@access.signed_in
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard.html")


@access.public
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility_statement.html")
