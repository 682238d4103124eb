from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from privacy import access

from .. import selectors


@access.custom_check("selectors.case_get_for_user (404 for outsiders)")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    return render(request, "cases/case_detail.html", {"case": case})
