"""Journal entries, documents and their lawful basis."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction

from partners.models import Organisation, User

from .. import access, documents
from ..choices import (
    Confidentiality,
    DataCategory,
)
from ..models import (
    Case,
    Document,
    JournalEntry,
    LawfulBasis,
)
from .common import _today
from .involvement import _involved_organisation_ids

# --- Journal and documents -----------------------------------------------------------


def _check_contribution(
    *, case: Case, by: User, confidentiality: str, visible_to: list[Organisation]
) -> list[Organisation]:
    """Who may add, and the named organisations: only those involved, only when named."""

    if not access.may_contribute_to_case(by, case):
        raise PermissionError("May not add to this case")
    if confidentiality != Confidentiality.NAMED_ORGANISATIONS:
        return []
    if not visible_to:
        raise ValueError("Name at least one organisation")
    if {o.pk for o in visible_to} - _involved_organisation_ids(case):
        raise ValueError("Only involved organisations can be named")
    return visible_to


def _kind(user: User) -> str:
    return user.organisation.kind if user.organisation is not None else ""


def _basis_fields(
    *,
    organisation_kind: str,
    lawful_basis: Any,
    data_category: str,
    consent_date: datetime.date | None,
    basis_motivation: str,
) -> dict[str, Any]:
    """The basis fields of a shared item, checked against the catalogue: an active basis that
    the author's organisation kind may use for this kind of data; consent needs its date (not
    in the future), a conflict of duties its motivation.

    Without a basis (`None`: only programmatic callers, never a form) the item is stored
    marked for the privacy officer's review, like the rows from before the catalogue."""

    category = DataCategory(data_category)
    if lawful_basis is None:
        return {
            "lawful_basis": None,
            "data_category": category,
            "consent_date": None,
            "basis_motivation": "",
            "basis_to_review": True,
        }
    if isinstance(lawful_basis, str):
        lawful_basis = LawfulBasis.objects.get(code=lawful_basis)
    if not lawful_basis.is_active:
        raise ValueError("This lawful basis is no longer in use")
    if not lawful_basis.fits(organisation_kind=organisation_kind, data_category=category):
        raise ValueError("This lawful basis does not fit the organisation or the kind of data")
    if not lawful_basis.requires_consent_date:
        consent_date = None
    elif consent_date is None:
        raise ValueError("Consent as lawful basis needs the date of consent")
    elif consent_date > _today():
        raise ValueError("The date of consent cannot be in the future")
    basis_motivation = basis_motivation.strip()
    if lawful_basis.requires_motivation and not basis_motivation:
        raise ValueError("This lawful basis needs a documented motivation")
    return {
        "lawful_basis": lawful_basis,
        "data_category": category,
        "consent_date": consent_date,
        "basis_motivation": basis_motivation,
        "basis_to_review": False,
    }


SHARED_ITEM_MODELS = {
    "journal": "JournalEntry",
    "document": "Document",
    "screening": "PoliceScreening",
}


@transaction.atomic
def shared_item_basis_review(
    *,
    item: Any,
    by: User,
    lawful_basis: Any,
    data_category: str,
    consent_date: datetime.date | None = None,
    basis_motivation: str = "",
) -> Any:
    """The privacy officer sets the real basis of an item marked for review (rows from
    before the catalogue): one the sharing organisation's kind may use for this kind of data.
    The change is in the item's history with the officer as author."""
    item = type(item).objects.select_for_update().get(pk=item.pk)
    organisation = item.sharing_organisation
    fields = _basis_fields(
        organisation_kind=organisation.kind if organisation is not None else "",
        lawful_basis=lawful_basis,
        data_category=data_category,
        consent_date=consent_date,
        basis_motivation=basis_motivation,
    )
    if fields["lawful_basis"] is None:
        raise ValueError("Choose a basis")
    for name, value in fields.items():
        setattr(item, name, value)
    item._history_user = by
    item.save(update_fields=[*fields])
    return item


@transaction.atomic
def lawful_basis_save(*, basis: Any, by: User) -> Any:
    """Create or change an entry of the catalogue (validated by its form); history keeps
    every version with the privacy officer as author."""
    basis._history_user = by
    basis.save()
    return basis


@transaction.atomic
def lawful_basis_set_active(*, basis: Any, active: bool, by: User) -> Any:
    """Deactivate (no longer offered; items that use it keep it) or reactivate an entry."""
    basis.is_active = active
    basis._history_user = by
    basis.save(update_fields=["is_active"])
    return basis


def _case_item_add(
    item: Any,
    *,
    by: User,
    author: str,
    confidentiality: str,
    visible_to: list[Organisation] | None,
    basis: dict[str, Any],
    before_save: Callable[[], None] | None = None,
) -> Any:
    """The one shape of what a contributor adds to a case (a journal entry, a document): the
    lawful basis checked, may-contribute and the named organisations checked, the author and
    the author's organisation recorded (`author` names the field), saved with its history,
    the named organisations set. `before_save` runs once every check has passed (a document
    stores its file there, so a refused upload leaves no file behind)."""
    named = _check_contribution(
        case=item.case, by=by, confidentiality=confidentiality, visible_to=list(visible_to or [])
    )
    item.confidentiality = confidentiality
    for name, value in basis.items():  # the checked basis fields (`_basis_fields`)
        setattr(item, name, value)
    setattr(item, author, by)
    setattr(item, f"{author}_organisation_id", by.organisation_id)
    if before_save is not None:
        before_save()
    item._history_user = by
    item.save()
    item.visible_to.set(named)
    return item


@transaction.atomic
def journal_entry_add(
    *,
    case: Case,
    by: User,
    kind: str,
    occurred_on: datetime.date,
    participants: str,
    text: str,
    confidentiality: str,
    visible_to: list[Organisation] | None = None,
    lawful_basis: Any = None,
    data_category: str = "ordinary",
    consent_date: datetime.date | None = None,
    basis_motivation: str = "",
) -> Any:

    if occurred_on > _today():
        raise ValueError("A journal entry cannot be dated in the future")
    entry = JournalEntry(
        case=case, kind=kind, occurred_on=occurred_on, participants=participants, text=text
    )
    return _case_item_add(
        entry,
        by=by,
        author="author",
        confidentiality=confidentiality,
        visible_to=visible_to,
        basis=_basis_fields(
            organisation_kind=_kind(by),
            lawful_basis=lawful_basis,
            data_category=data_category,
            consent_date=consent_date,
            basis_motivation=basis_motivation,
        ),
    )


@transaction.atomic
def document_add(
    *,
    case: Case,
    by: User,
    title: str,
    upload: Any,
    confidentiality: str,
    visible_to: list[Organisation] | None = None,
    lawful_basis: Any = None,
    data_category: str = "ordinary",
    consent_date: datetime.date | None = None,
    basis_motivation: str = "",
) -> Any:
    """Store an upload on the case (type checked on content; random file name on disk)."""

    original_name = documents.clean_original_name(upload.name or "")
    detected = documents.validate_upload(upload, original_name, upload.size)
    basis = _basis_fields(
        organisation_kind=_kind(by),
        lawful_basis=lawful_basis,
        data_category=data_category,
        consent_date=consent_date,
        basis_motivation=basis_motivation,
    )
    document = Document(
        case=case,
        title=title,
        original_name=documents.download_name(original_name, detected.extension),
        content_type=detected.content_type,
        size=upload.size,
    )
    return _case_item_add(
        document,
        by=by,
        author="uploaded_by",
        confidentiality=confidentiality,
        visible_to=visible_to,
        basis=basis,
        before_save=lambda: document.file.save(
            f"{uuid.uuid4().hex}.{detected.extension}", upload, save=False
        ),
    )
