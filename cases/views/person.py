"""Correcting a person on a case: the case team only; outsiders get 404 (the case lookup).

This is the normal form through which a rectification request (AVG art. 16) is carried out;
the history keeps the old values."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from privacy import access, readlog

from .. import selectors, services
from ..forms.person import PersonForm


@access.custom_check("selectors.case_get_for_user + access.may_edit_case_details")
def person_edit(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    if not access.may_edit_case_details(request.user, case):
        raise PermissionDenied
    person = case.persons.filter(pk=person_pk, erased_at__isnull=True).first()
    if person is None:
        raise Http404
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_update(person=person, by=request.user, data=form.changes())
        messages.success(request, _("The person's details were corrected."))
        return redirect(reverse("cases:detail", args=[case.pk]) + "#persons")
    readlog.record(
        request,
        case=case,
        what=readlog.ReadWhat.EDIT_FORM,
        basis=access.case_access_basis(request.user, case),
        persons=[person],
        object_id=person.pk,
    )
    return render(
        request, "cases/case/person_form.html", {"case": case, "person": person, "form": form}
    )
