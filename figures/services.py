"""Writes of the figures app: result agreements (history through django-simple-history)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from partners.models import User

from .access import may_manage_result_agreements
from .forms import ResultAgreementForm
from .models import ResultAgreement


@transaction.atomic
def result_agreement_save(*, form: ResultAgreementForm, by: User) -> ResultAgreement:
    """Save a valid agreement form as `by` (a coordinator or functional administrator)."""
    if not may_manage_result_agreements(by):
        raise PermissionDenied
    agreement: ResultAgreement = form.save(commit=False)
    agreement.updated_by = by
    agreement.save()
    return agreement
