"""Every read on cases. Visibility comes from `cases.access`; nothing filters in Python."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Lookup,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.shortcuts import get_object_or_404
from django.utils import timezone

from deadlines import kinds as deadline_kinds
from deadlines.domain.state import DeadlineState, DueState
from deadlines.selectors import deadline_due_state, deadlines_for_case, due_state, with_deadline
from partners.choices import Role
from partners.models import Organisation, User

from .. import access
from ..choices import Background, CaseStatus, NuisanceForm, PersonRole
from ..domain import workflow
from ..models import (
    Case,
    CaseInvolvement,
    CaseStatusChange,
    ConsentRequest,
    Person,
    RecidivismMatch,
    Referral,
    person_full_name,
)


def case_list_for_user(*, user: User) -> QuerySet[Case]:
    return access.visible_cases(user).select_related(
        "network", "district", "casemanager", "corporation"
    )


def case_get_for_user(*, user: User, pk: int) -> Case:
    """The case, or Http404 when it does not exist or the user may not see it."""
    return get_object_or_404(case_list_for_user(user=user), pk=pk)


class ILike(Lookup):
    """`column ILIKE pattern`, as a filter expression (PostgreSQL; gin_trgm_ops serves it)."""

    lookup_name = "ilike"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def case_search(*, cases: QuerySet[Case], query: str, user: User | None = None) -> QuerySet[Case]:
    """Case number, person name (first, last or both) or address (street, postcode, or either
    with a house number: then only the cases at that address, the street as typed or alike).

    The matches are a UNION of id sets, each served by an index of its own (docs/scale.md):
    trigram indexes on the case number, the street, the last name and the full name as
    searched (`person_full_name`), an index on the upper-case postcode. An OR of them in one
    WHERE would make PostgreSQL scan every case and person; the union is joined to `cases`
    once, so a case with several matching persons shows once."""

    query = " ".join(query.replace("\x00", "").split())[:100]
    if not query:
        return cases
    # Plain ILIKE on the column or expression (not Django's UPPER(col) LIKE), so the trigram
    # indexes serve the substring match as well as the similarity match.
    contains = Value(f"%{connection.ops.prep_for_like_query(query)}%")
    persons = Person.objects.annotate(full_name=person_full_name()).filter(
        Q(last_name__trigram_similar=query) | Q(ILike(F("full_name"), contains))
    )
    if user is not None:  # restricted persons are found only by the case team
        persons = persons.filter(access.searchable_persons(user))
    matches = [
        Case.objects.filter(ILike(F("number"), contains)).values("pk"),
        Case.objects.filter(postcode__iexact=query.replace(" ", "").upper()).values("pk"),
        persons.values("case_id"),
    ]
    address = re.fullmatch(r"(.+?)\s+(\d{1,6})\s*([A-Za-z0-9-]{0,10})", query)
    if address:
        # Street (or postcode) and number: the cases at that address, the street matched as
        # typed or alike (a typo), never every case in a street like it (thousands on a
        # long street, the address sought somewhere among them).
        street, number, addition = address.groups()
        at = Q(house_number=int(number))
        if addition:
            at &= Q(house_number_addition__iexact=addition)
        in_street = Value(f"%{connection.ops.prep_for_like_query(street)}%")
        postcode = street.replace(" ", "").upper()
        matches.append(
            Case.objects.filter(
                at,
                Q(street__trigram_similar=street)
                | Q(ILike(F("street"), in_street))
                | Q(postcode__iexact=postcode),
            ).values("pk")
        )
    else:
        matches.append(
            Case.objects.filter(
                Q(street__trigram_similar=query) | Q(ILike(F("street"), contains))
            ).values("pk")
        )
    first, *rest = matches
    return cases.filter(pk__in=first.union(*rest))


def earlier_cases_for(
    *, case: Case, same_nuisance_only: bool = False, on_person_only: bool = False
) -> list[Case]:
    """Cases on the same person (name + birth date) or address, closed at most
    RECIDIVISM_YEARS before this referral came in (the window runs from the earlier case's
    closing date). An address match alone is only a possible repeat: see RecidivismMatch."""
    received = case.referred_on or timezone.localdate()
    since = received - relativedelta(years=settings.RECIDIVISM_YEARS)
    person_keys = [k for k in case.persons.values_list("person_key", flat=True) if k]
    match = Q(persons__person_key__in=person_keys) if person_keys else Q(pk__in=[])
    if case.address_key and not on_person_only:
        match |= Q(address_key=case.address_key)
    earlier = (
        Case.objects.filter(match, status=CaseStatus.CLOSED, closed_on__gte=since)
        .exclude(pk=case.pk)
        .distinct()
        .prefetch_related("referrals")
    )
    if not same_nuisance_only:
        return list(earlier)
    forms = set(case_nuisance_forms(case))
    return [c for c in earlier if forms & set(case_nuisance_forms(c))]


def case_nuisance_forms(case: Case) -> list[str]:
    forms: list[str] = []
    for referral in case.referrals.all():
        forms.extend(f for f in referral.nuisance_forms if f not in forms)
    return forms


def open_duplicates_for(*, case: Case) -> QuerySet[Case]:
    """Open cases on the same person or address: the coordinator may attach to one."""
    person_keys = [k for k in case.persons.values_list("person_key", flat=True) if k]
    match = Q(persons__person_key__in=person_keys) if person_keys else Q(pk__in=[])
    if case.address_key:
        match |= Q(address_key=case.address_key)
    return (
        Case.objects.filter(match, status__in=workflow.OPEN_STATUSES)
        .exclude(pk=case.pk)
        .distinct()
        .order_by("-referred_on")
    )


def referrals_for_referrer(*, user: User) -> QuerySet[Referral]:
    """'My referrals': the referrals of the user's organisation, with status only."""
    return (
        Referral.objects.filter(organisation_id=user.organisation_id)
        .select_related("case", "case__merged_into", "referrer")
        .order_by("-created_at")
    )


def casemanagers_with_caseload() -> QuerySet[User]:
    """Casemanagers with their open caseload, for the assignment list."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.CASEMANAGER.value)
        .annotate(
            open_cases=Count(
                "managed_cases", filter=Q(managed_cases__status__in=workflow.OPEN_STATUSES)
            )
        )
        .order_by("last_name", "first_name")
    )


# --- Deadlines of cases and consent requests ----------------------------------------
#
# Due dates and states live in the deadline rows (deadlines/); these read them beside the
# case or the request. `INTAKE` and `CONSENT` name the annotations of `with_deadline`.

INTAKE = "intake_deadline"
CONSENT = "consent_deadline"


def with_intake_deadline(
    cases: QuerySet[Case], *, today: datetime.date | None = None
) -> QuerySet[Case]:
    """Cases with `intake_deadline_due_on` and `intake_deadline_state`, in the same query."""
    return with_deadline(cases, kind=deadline_kinds.INTAKE, name=INTAKE, today=today)


def with_consent_deadline(requests: QuerySet[Any], *, today: datetime.date | None = None) -> Any:
    """Consent requests with `consent_deadline_due_on` and `consent_deadline_state`."""
    return with_deadline(
        requests, kind=deadline_kinds.CORPORATION_CONSENT, name=CONSENT, today=today, of="subject"
    )


def intake_due_state(case: Case) -> DueState | None:
    """The intake deadline of a case annotated by `with_intake_deadline` (None: none)."""
    return due_state(case, INTAKE)


def consent_due_state(request: Any) -> DueState | None:
    return due_state(request, CONSENT)


def intake_deadline_of(case: Case) -> DueState | None:
    """The intake deadline of one case, today (one query)."""
    return deadline_due_state(kind=deadline_kinds.INTAKE, case=case)


def consent_deadline_of(request: Any) -> DueState | None:
    return deadline_due_state(kind=deadline_kinds.CORPORATION_CONSENT, subject=request)


def intake_overdue(*, today: datetime.date | None = None) -> QuerySet[Case]:
    """Cases whose intake deadline is overdue today."""
    return with_intake_deadline(Case.objects.all(), today=today).filter(
        **{f"{INTAKE}_state": DeadlineState.OVERDUE.value}
    )


# --- Case list and case page ---------------------------------------------------------


def case_list_filtered(
    *,
    user: User,
    status: str = "",
    network: Any = None,
    casemanager: Any = None,
    unassigned: bool = False,
    deadline: str = "",
    query: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Case]:
    """The case list: visible cases only, then the filters of the list page."""
    today = today or timezone.localdate()
    cases = case_list_for_user(user=user)
    if status:
        cases = cases.filter(status=status)
    if network is not None:
        cases = cases.filter(network=network)
    if casemanager is not None:
        cases = cases.filter(casemanager=casemanager)
    if unassigned:  # open cases past intake that nobody manages yet (the coordinator's block)
        cases = cases.filter(
            casemanager__isnull=True,
            status__in=workflow.OPEN_STATUSES - workflow.INTAKE_STATUSES,
        )
    cases = with_intake_deadline(cases, today=today)
    if deadline in (DeadlineState.OVERDUE, DeadlineState.DUE_SOON):
        cases = cases.filter(**{f"{INTAKE}_state": deadline})
    if query:
        cases = case_search(cases=cases, query=query, user=user)
    return cases.order_by("-referred_on", "-pk")


def page_of(
    rows: QuerySet[Any],
    number: Any,
    *,
    per_page: int,
    load: Callable[[list[int]], QuerySet[Any]],
    all_ids: bool = False,
) -> Page:
    """One page of an ordered queryset: the page's ids from a narrow query, then its rows
    loaded in full by `load(ids)` (which must not filter again: the ids were found through
    `rows`), in the same order.

    PostgreSQL computes the select list (joins, the deadline subqueries) of every row it
    skips with OFFSET; the ids alone come from the case list's covering index, however deep
    the page (docs/scale.md). The count, the ids and the rows: three queries whatever the
    page. (A `COUNT(*) OVER ()` beside the ids would save one, but under a LIMIT the planner
    takes the window as streaming and picks a plan that probes every case.) `number`: as
    typed in the URL; a wrong one gives the nearest page, like `Paginator.get_page`.

    `all_ids`: read every id in one query and cut the page in Python, for a search result,
    whose matching (a UNION over several indexes) would otherwise run for the count and
    again for the page."""
    ids_of_rows = rows.values_list("pk", flat=True)
    page = Paginator(list(ids_of_rows) if all_ids else ids_of_rows, per_page).get_page(number)
    ids = list(page.object_list)
    loaded = {row.pk: row for row in load(ids)} if ids else {}
    return Page([loaded[pk] for pk in ids if pk in loaded], page.number, page.paginator)


def case_list_rows(ids: list[int], *, today: datetime.date | None = None) -> QuerySet[Case]:
    """The rows of a case list page whose ids `case_list_filtered` found (visibility was
    checked there), with what the list shows."""
    return with_intake_deadline(
        Case.objects.filter(pk__in=ids).select_related(
            "network", "district", "casemanager", "corporation"
        ),
        today=today,
    )


def case_list_casemanagers() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.CASEMANAGER.value).order_by(
        "last_name", "first_name"
    )


def involved_organisations(*, case: Case) -> QuerySet[Any]:

    return Organisation.objects.filter(
        pk__in=case.involvements.filter(is_active=True).values("organisation_id")
    ).order_by("name")


def involvement_candidates(*, case: Case) -> QuerySet[Any]:
    """Active organisations not yet involved in the case."""

    return Organisation.objects.filter(is_active=True).exclude(
        pk__in=case.involvements.filter(is_active=True).values("organisation_id")
    )


def journal_for_user(*, user: User, case: Case) -> QuerySet[Any]:
    return (
        access.visible_journal_entries(user, case)
        .select_related("author", "author_organisation", "lawful_basis")
        .prefetch_related("visible_to")
    )


def documents_for_user(*, user: User, case: Case) -> QuerySet[Any]:
    return (
        access.visible_documents(user, case)
        .select_related("uploaded_by", "uploaded_by_organisation", "lawful_basis")
        .prefetch_related("visible_to")
    )


def journal_entry_get_for_user(*, user: User, case: Case, pk: int) -> Any:
    """A journal entry the user may read, or Http404 (also for another case's entries)."""
    return get_object_or_404(journal_for_user(user=user, case=case), pk=pk)


def document_get_for_user(*, user: User, case: Case, pk: int) -> Any:
    return get_object_or_404(documents_for_user(user=user, case=case), pk=pk)


# Journal entries and status changes per page of the case page (latest first).
CASE_PAGE_JOURNAL_SIZE = 20
CASE_PAGE_HISTORY_SIZE = 20


def case_page(
    *, user: User, case: Case, journal_page: Any = 1, history_page: Any = 1
) -> dict[str, Any]:
    """Everything the case page shows, in a fixed number of queries: the journal and the
    status history one page each (`journal_page`, `history_page`: a page number as typed in
    the URL; a wrong one gives the nearest page), however long the case has run."""

    persons = access.shown_persons(user, case)
    referrals = list(
        case.referrals.select_related("organisation", "referrer").order_by("created_at")
    )
    nuisance_labels, background_labels = dict(NuisanceForm.choices), dict(Background.choices)
    for referral in referrals:
        referral.nuisance_form_labels = [nuisance_labels.get(f, f) for f in referral.nuisance_forms]
        referral.background_labels = [background_labels.get(b, b) for b in referral.backgrounds]
    all_involvements = list(
        CaseInvolvement.objects.filter(case=case)
        .select_related("organisation", "added_by", "ended_by")
        .order_by("organisation__name", "added_at", "pk")
    )
    involvements = [i for i in all_involvements if i.is_active]
    # The history of involvement (who, from, until, by whom, why) stays on the case.
    ended_involvements = sorted(
        (i for i in all_involvements if not i.is_active),
        key=lambda i: (i.ended_at or i.added_at, i.pk),
    )
    consents = list(
        with_consent_deadline(ConsentRequest.objects.filter(case=case))
        .select_related("corporation")
        .order_by("requested_on", "pk")
    )
    for consent in consents:
        consent.deadline = consent_due_state(consent)
    deadlines = deadlines_for_case(case=case)
    intake = max(
        (d for d in deadlines if d.kind == deadline_kinds.INTAKE), key=lambda d: d.pk, default=None
    )
    # For the case header: the open deadline due first (the list is earliest due first).
    next_deadline = next((d for d in deadlines if d.is_open), None)
    journal = Paginator(journal_for_user(user=user, case=case), CASE_PAGE_JOURNAL_SIZE).get_page(
        journal_page
    )
    documents = list(documents_for_user(user=user, case=case))
    status_changes = Paginator(
        CaseStatusChange.objects.filter(case=case).select_related("by").order_by("-at", "-pk"),
        CASE_PAGE_HISTORY_SIZE,
    ).get_page(history_page)
    # Privacy by default: suspected backgrounds, the description and neighbours' contact
    # details for the case team, and the organisations it shared them with.
    sees_sensitive = access.may_see_sensitive_details(user, case)
    shares = (
        list(
            case.sensitive_shares.select_related("organisation", "shared_by").order_by(
                "organisation__name"
            )
        )
        if access.is_case_team(user, case)
        else []
    )
    shared_ids = {share.organisation_id for share in shares}
    return {
        "sees_sensitive": sees_sensitive,
        "sensitive_shares": shares,
        "share_candidates": [
            i.organisation for i in involvements if i.organisation_id not in shared_ids
        ],
        "persons": persons,
        "causers": [p for p in persons if p.role == PersonRole.CAUSER],
        "household": [p for p in persons if p.role == PersonRole.HOUSEHOLD_MEMBER],
        "neighbours": [p for p in persons if p.role == PersonRole.NEIGHBOUR],
        "referrals": referrals,
        "involvements": involvements,
        "ended_involvements": ended_involvements,
        "consents": consents,
        "journal": journal,
        "documents": documents,
        "status_changes": status_changes,
        # The latest intake deadline (the same row the deadlines block lists).
        "intake_deadline": DueState(intake.due_on, intake.state()) if intake else None,
        "deadlines": deadlines,
        "next_deadline": (
            DueState(next_deadline.due_on, next_deadline.state()) if next_deadline else None
        ),
        "next_deadline_label": next_deadline.kind_label if next_deadline else "",
    }


def case_requests_for_user(*, user: User, case: Case) -> dict[str, Any]:
    """For the case page's intake links: whether the case has police screenings, and the
    consent or screening request on it that waits for the user's own organisation. Three
    small queries, however many requests there are."""
    return {
        "has_screenings": case.police_screenings.exists(),
        "open_consent": access.visible_consent_requests(user)
        .filter(case=case, decision="")
        .order_by("pk")
        .first(),
        "open_screening": access.visible_screening_requests(user)
        .filter(case=case, risk_level="")
        .order_by("pk")
        .first(),
    }


# --- Intake -------------------------------------------------------------------------


def intake_cases(*, user: User) -> QuerySet[Case]:
    """Referred and in-intake cases the user sees, the earliest intake deadline first
    (ties: the oldest case). Narrow: page it with `page_of` and load a page's rows with
    `intake_rows`."""
    return (
        with_intake_deadline(access.visible_cases(user))
        .filter(status__in=[CaseStatus.REFERRED, CaseStatus.INTAKE])
        .order_by(f"{INTAKE}_due_on", "pk")
    )


def intake_rows(ids: list[int]) -> QuerySet[Case]:
    """The rows of an intake list page whose ids `intake_cases` found (visibility was
    checked there), with a duplicates flag and the latest consent request.

    `has_duplicates`: another open case on the same address or a person with the same key,
    computed in the query for the page's rows only (over every case in intake PostgreSQL
    hashes every person with a key instead)."""

    same_address = (
        Case.objects.filter(status__in=workflow.OPEN_STATUSES, address_key=OuterRef("address_key"))
        .exclude(address_key="")
        .exclude(pk=OuterRef("pk"))
    )
    same_person_elsewhere = Person.objects.filter(
        person_key=OuterRef("person_key"), case__status__in=workflow.OPEN_STATUSES
    ).exclude(case_id=OuterRef("case_id"))
    same_person = (
        Person.objects.filter(case_id=OuterRef("pk"))
        .exclude(person_key="")
        .filter(Exists(same_person_elsewhere))
    )
    return (
        with_intake_deadline(Case.objects.filter(pk__in=ids))
        .select_related("casemanager", "corporation")
        .prefetch_related(
            Prefetch(
                "consent_requests",
                queryset=with_consent_deadline(ConsentRequest.objects.all()).order_by(
                    "-requested_on", "-pk"
                ),
            )
        )
        .annotate(
            has_duplicates=ExpressionWrapper(
                Exists(same_address) | Exists(same_person), output_field=BooleanField()
            )
        )
    )


def consent_requests_for_inbox(*, user: User) -> QuerySet:
    """The user's corporation's consent requests: open ones first, then by due date."""

    return (
        with_consent_deadline(access.visible_consent_requests(user))
        .select_related("case")
        .annotate(
            is_answered=SqlCase(
                When(decision="", then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("is_answered", f"{CONSENT}_due_on", "pk")
    )


def screening_requests_for_inbox(*, user: User) -> QuerySet:
    """Screenings asked of the user's police organisation: unanswered first."""

    return (
        access.visible_screening_requests(user)
        .select_related("case")
        .annotate(
            is_answered=SqlCase(
                When(risk_level="", then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("is_answered", "requested_on", "pk")
    )


def request_nuisance_forms(*, case: Case) -> list[str]:
    """The forms of nuisance the case's referrals name (labels, in order, once each): what a
    consent or screening request shows the asked organisation, besides street and number."""
    labels = dict(NuisanceForm.choices)
    seen: list[str] = []
    for forms in case.referrals.order_by("pk").values_list("nuisance_forms", flat=True):
        for form in forms or []:
            if labels.get(form, form) not in seen:
                seen.append(labels.get(form, form))
    return seen


def recidivism_matches_of(*, case: Case) -> list[RecidivismMatch]:
    """The earlier cases this referral may repeat (person or address match), oldest first."""
    return list(
        RecidivismMatch.objects.filter(case=case)
        .select_related("earlier", "decided_by")
        .order_by("earlier__closed_on", "pk")
    )
