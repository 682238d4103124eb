"""Every write on cases. Plain functions, keyword-only, the acting user as `by`, in one
module per part of the casework (as `views/`): transitions (`case_transition`, which asks
`domain/workflow.py`, and its effects), referral, intake, involvement, journal and
documents, case corrections; the plan, evaluations and aftercare in `plan`. Grants go through
`cases.access.sync_case_grants()`; tasks are queued on commit.

Callers import from here (`from cases import services`); the names below are the package's
way in."""

from __future__ import annotations

from .case import (
    CASE_DETAIL_FIELDS,
    PERSON_FIELDS,
    case_details_update,
    person_update,
)
from .common import (
    RequestStillOpenError,
    StaleEdit,
)
from .intake import (
    IntakeClosed,
    case_assign_casemanager,
    consent_answer,
    consent_request,
    criteria_assess,
    criteria_override_set,
    kris_record,
    screening_record,
    screening_request,
    screening_waive,
)
from .involvement import (
    end_due_involvements,
    involvement_add,
    involvement_end,
    involvements_due,
    sensitive_share,
    sensitive_unshare,
)
from .journal import (
    SHARED_ITEM_MODELS,
    document_add,
    journal_entry_add,
    lawful_basis_save,
    lawful_basis_set_active,
    shared_item_basis_review,
)
from .referral import (
    recidivism_check,
    recidivism_decide,
    referral_start,
    referral_update,
)
from .transitions import (
    _move_to_open_case,
    _submit_referral,
    case_facts,
    case_transition,
)

__all__ = [
    "CASE_DETAIL_FIELDS",
    "IntakeClosed",
    "PERSON_FIELDS",
    "RequestStillOpenError",
    "SHARED_ITEM_MODELS",
    "StaleEdit",
    "_move_to_open_case",
    "_submit_referral",
    "case_assign_casemanager",
    "case_details_update",
    "case_facts",
    "case_transition",
    "consent_answer",
    "consent_request",
    "criteria_assess",
    "criteria_override_set",
    "document_add",
    "end_due_involvements",
    "involvement_add",
    "involvement_end",
    "involvements_due",
    "journal_entry_add",
    "kris_record",
    "lawful_basis_save",
    "lawful_basis_set_active",
    "person_update",
    "recidivism_check",
    "recidivism_decide",
    "referral_start",
    "referral_update",
    "screening_record",
    "screening_request",
    "screening_waive",
    "sensitive_share",
    "sensitive_unshare",
    "shared_item_basis_review",
]
