"""Correcting a person on a case: the case team only; outsiders get 404 (`access_person`).

This is the normal form through which a rectification request (AVG art. 16) is carried out;
the history keeps the old values."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from partners.access import object_access

from .. import services
from ..access import access_person
from ..forms.person import PersonForm


@object_access(access_person)
def person_edit(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    person = access_person(request, pk, person_pk)
    case = person.case
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_update(person=person, by=request.user, data=form.changes())
        messages.success(request, _("The person's details were corrected."))
        return redirect(reverse("cases:detail", args=[case.pk]) + "#persons")
    return render(
        request, "cases/case/person_form.html", {"case": case, "person": person, "form": form}
    )
