"""'What changed, by whom, when' on a case: field-level diffs per item, paginated.

Visibility as on the case page (cases/selectors_history.py); outsiders get 404 through
`access_case`. The page is itself a read of personal data: `access_case` logs it, naming the
persons the user may see on the case.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partners.access import object_access

from ..access import Section, access_case
from ..selectors_history import all_kinds, case_changes_for_user

PAGE_SIZE = 50


@object_access(access_case)
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.HISTORY)
    changes = case_changes_for_user(user=request.user, case=case)
    kinds = all_kinds()
    kind = request.GET.get("soort", "")
    if kind in kinds:
        changes = [c for c in changes if c.kind == kind]
    else:
        kind = ""
    # One item: ?item=journal:12 (links from the item itself); nothing for an unknown item.
    item = request.GET.get("item", "")
    source, _, pk = item.partition(":")
    if item and pk.isdigit():
        changes = [c for c in changes if c.source == source and c.object_id == int(pk)]
    else:
        item = ""
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "cases/case/history.html",
        {"case": case, "page": page, "kinds": kinds, "kind": kind, "item": item},
    )
