"""The figures of the annual report and the coordinator's dashboard (DOMAIN.md §10).

Every figure is one aggregate query over the database: counts, sums, averages and
percentiles grouped or filtered in SQL, never a Python loop over cases. Nothing here returns
a name of a person or a case: only labels of choices, organisations, districts and networks.
`report.py` turns these raw numbers into suppressed tables.

The population of each figure (what "in the period" means):

- referrals, acceptance and redirection, KRIS checks: cases *referred* in the period;
- outcomes, in care, housing, follow-up, aftercare, lead times, life domains: cases *closed*
  in the period (their final evaluation);
- deadlines met: deadlines *due* in the period that were met or are overdue (lapsed ones,
  e.g. of a redirected case, do not count);
- recidivism: cases closed in the period that can be followed for 3 years (closed at least
  3 years before today);
- work done: screenings requested, eviction advices given, relocations advised, material
  support requested and meetings held in the period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Case as SqlCase

from cases.choices import CaseStatus, NuisanceForm, RecidivismDecision
from cases.choices_plan import (
    EvaluationKind,
    FollowUp,
    HousingOutcome,
    NuisanceOutcome,
    PassedOnDestination,
    SupportDecision,
)
from cases.models import Case, KrisCheck, PoliceScreening, RecidivismMatch, Referral
from cases.models.plan import (
    AftercarePlan,
    Evaluation,
    EvictionAdvice,
    MaterialSupport,
    Relocation,
)
from deadlines import kinds as deadline_kinds
from deadlines.domain.state import DeadlineState
from deadlines.models import OPEN, Deadline, state_filter
from meetings.choices import MeetingStatus
from meetings.models import Attendance, Meeting

RECIDIVISM_YEARS = 3
DEADLINE_KINDS = (
    deadline_kinds.INTAKE,
    deadline_kinds.CORPORATION_CONSENT,
    deadline_kinds.SIX_MONTH_EVALUATION,
)
OPEN_PHASES = [
    s
    for s in CaseStatus
    if s not in (CaseStatus.DRAFT, CaseStatus.REDIRECTED, CaseStatus.ATTACHED, CaseStatus.CLOSED)
]


@dataclass(frozen=True)
class Scope:
    """A period (both days included) and a network (None: all networks)."""

    start: datetime.date
    end: datetime.date
    network_id: int | None = None

    def cases(self, prefix: str = "", field: str = "referred_on") -> Q:
        q = Q(**{f"{prefix}{field}__range": (self.start, self.end)})
        if self.network_id is not None:
            q &= Q(**{f"{prefix}network_id": self.network_id})
        return q


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile (interpolated, like the median of statistics)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def days_between(start: str, end: str) -> Func:
    """end − start in days (a PostgreSQL date difference is an integer)."""
    return Func(
        F(end),
        F(start),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )


def _years_after(field: str, years: int) -> Func:
    return Func(
        F(field),
        template=f"(%(expressions)s + interval '{int(years)} years')::date",
        output_field=DateField(),
    )


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (29 February becomes 28 February), as PostgreSQL does."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# --- Referrals --------------------------------------------------------------------------


def _referred(scope: Scope) -> QuerySet[Case]:
    return Case.objects.exclude(status=CaseStatus.DRAFT).filter(scope.cases())


def referrals_by_referrer(scope: Scope) -> dict[str, int]:
    """Cases referred in the period, by referring organisation (a case referred by two
    organisations counts for each)."""
    rows = Referral.objects.filter(scope.cases("case__"), submitted_at__isnull=False).exclude(
        case__status=CaseStatus.DRAFT
    )
    return _count_by(rows, "organisation__name", "case")


def _count_by(queryset: QuerySet[Any], field: str, distinct: str = "pk") -> dict[Any, int]:
    return {
        row[field]: row["n"]
        for row in queryset.values(field).annotate(n=Count(distinct, distinct=True)).order_by(field)
    }


def referrals_by_district(scope: Scope) -> dict[str, int]:
    return _count_by(_referred(scope), "district__name")


def referrals_by_array(scope: Scope, field: str, choices: Any) -> dict[str, int]:
    """Cases referred in the period per nuisance form or background (a case with two forms
    counts for both; the forms of all its referrals count)."""
    rows = Referral.objects.filter(scope.cases("case__"), submitted_at__isnull=False).exclude(
        case__status=CaseStatus.DRAFT
    )
    return rows.aggregate(
        **{
            str(value): Count("case", distinct=True, filter=Q(**{f"{field}__contains": [value]}))
            for value in choices.values
        }
    )


def referrals_total(scope: Scope) -> int:
    return _referred(scope).count()


def acceptance(scope: Scope) -> dict[str, int]:
    """Cases referred in the period: accepted, redirected (per destination), attached to
    another case, or still undecided. Keys: "accepted", "redirected:<target>", "attached",
    "pending"."""
    outcome = SqlCase(
        When(accepted_on__isnull=False, then=Value("accepted")),
        When(
            status=CaseStatus.REDIRECTED,
            then=Func(Value("redirected:"), F("redirect_target"), function="CONCAT"),
        ),
        When(status=CaseStatus.ATTACHED, then=Value("attached")),
        default=Value("pending"),
    )
    rows = _referred(scope).annotate(outcome=outcome).values("outcome").annotate(n=Count("pk"))
    return {row["outcome"]: row["n"] for row in rows.order_by("outcome")}


# --- Closing: outcomes, care, housing, follow-up ----------------------------------------


def closing(scope: Scope) -> dict[str, int]:
    """Cases closed in the period, from their final evaluation, in one query: per pillar the
    outcome, in care at closing, the housing outcome, the follow-up and where cases were
    passed on, and whether an aftercare plan was made. Keys "<group>:<value>"; "closed" is
    the number of cases closed, "evaluated" of those with a final evaluation."""
    finals = Evaluation.objects.filter(kind=EvaluationKind.FINAL, case__status=CaseStatus.CLOSED)
    finals = finals.filter(scope.cases("case__", field="closed_on"))
    finals = finals.annotate(
        has_aftercare=Exists(AftercarePlan.objects.filter(case=OuterRef("case")))
    )
    counts: dict[str, Any] = {"evaluated": Count("pk")}
    for pillar in ("neighbours_outcome", "partners_outcome"):
        for value in [*NuisanceOutcome.values, ""]:
            counts[f"{pillar}:{value}"] = Count("pk", filter=Q(**{pillar: value}))
    for care, key in ((True, "yes"), (False, "no"), (None, "")):
        q = Q(causer_in_care__isnull=True) if care is None else Q(causer_in_care=care)
        counts[f"in_care:{key}"] = Count("pk", filter=q)
    for value in [*HousingOutcome.values, ""]:
        counts[f"housing:{value}"] = Count("pk", filter=Q(housing_outcome=value))
    for value in [*FollowUp.values, ""]:
        counts[f"follow_up:{value}"] = Count("pk", filter=Q(follow_up=value))
    for value in PassedOnDestination.values:
        counts[f"passed_on:{value}"] = Count("pk", filter=Q(passed_on_to=value))
    counts["aftercare:yes"] = Count("pk", filter=Q(has_aftercare=True))
    counts["aftercare:no"] = Count("pk", filter=Q(has_aftercare=False))
    return finals.aggregate(**counts)


# --- Lead time --------------------------------------------------------------------------

LEAD_PHASES = {
    "to_intake": ("referred_on", "intake_started_on"),
    "to_acceptance": ("intake_started_on", "accepted_on"),
    "to_closing": ("accepted_on", "closed_on"),
    "total": ("referred_on", "closed_on"),
}


def lead_times(scope: Scope) -> dict[str, dict[str, float | int | None]]:
    """Of the cases closed in the period, per phase: number of cases with both dates, the
    median and the 90th percentile of the days between them (one query)."""
    closed = Case.objects.filter(scope.cases(field="closed_on"), status=CaseStatus.CLOSED)
    aggregates: dict[str, Any] = {}
    for phase, (start, end) in LEAD_PHASES.items():
        both = Q(**{f"{start}__isnull": False, f"{end}__isnull": False})
        days = days_between(start, end)
        aggregates[f"{phase}__n"] = Count("pk", filter=both)
        aggregates[f"{phase}__median"] = PercentileCont(days, 0.5, filter=both)
        aggregates[f"{phase}__p90"] = PercentileCont(days, 0.9, filter=both)
    row = closed.aggregate(**aggregates)
    return {
        phase: {
            "n": row[f"{phase}__n"],
            "median": row[f"{phase}__median"],
            "p90": row[f"{phase}__p90"],
        }
        for phase in LEAD_PHASES
    }


# --- Deadlines --------------------------------------------------------------------------


def deadlines_met(scope: Scope, *, today: datetime.date) -> dict[str, dict[str, int]]:
    """Per kind (intake, consent, six-month evaluation): of the deadlines due in the period,
    how many were met on time, met late, or are overdue today (still open past the due date).
    Deadlines still open and not yet due, and lapsed ones, are left out."""
    rows = Deadline.objects.filter(kind__in=DEADLINE_KINDS, due_on__range=(scope.start, scope.end))
    if scope.network_id is not None:
        rows = rows.filter(case__network_id=scope.network_id)
    states = {
        "on_time": DeadlineState.MET_ON_TIME,
        "late": DeadlineState.MET_LATE,
        "overdue": DeadlineState.OVERDUE,
    }
    grouped = rows.values("kind").annotate(
        **{key: Count("pk", filter=state_filter(state, today)) for key, state in states.items()}
    )
    result = {kind: dict.fromkeys(states, 0) for kind in DEADLINE_KINDS}
    for row in grouped.order_by("kind"):
        values: dict[str, Any] = dict(row)
        result[values["kind"]] = {key: values[key] for key in states}
    return result


# --- Recidivism -------------------------------------------------------------------------


def recidivism(scope: Scope, *, today: datetime.date) -> dict[str, Any]:
    """Of the cases closed in the period that can be followed for 3 years (closed on or
    before today minus 3 years): how many have a counted new referral (a match on the same
    person, or an address match the coordinator confirmed) for the same nuisance form,
    referred within 3 years after the closing. One query."""
    followable_until = years_before(today, RECIDIVISM_YEARS)
    closed = Case.objects.filter(scope.cases(field="closed_on"), status=CaseStatus.CLOSED)
    same_form = Exists(
        Referral.objects.filter(
            case=OuterRef("case"),
            submitted_at__isnull=False,
        ).filter(
            Exists(
                Referral.objects.filter(
                    case=OuterRef(OuterRef("earlier")),
                    nuisance_forms__overlap=OuterRef("nuisance_forms"),
                )
            )
        )
    )
    repeat = Exists(
        RecidivismMatch.objects.filter(earlier=OuterRef("pk"))
        .filter(Q(on_person=True) | Q(decision=RecidivismDecision.CONFIRMED))
        .filter(
            case__referred_on__gt=OuterRef("closed_on"),
            case__referred_on__lte=_years_after("earlier__closed_on", RECIDIVISM_YEARS),
        )
        .filter(same_form)
    )
    row = closed.annotate(repeat=repeat).aggregate(
        closed=Count("pk"),
        followable=Count("pk", filter=Q(closed_on__lte=followable_until)),
        repeated=Count("pk", filter=Q(closed_on__lte=followable_until, repeat=True)),
    )
    return {**row, "followable_until": followable_until}


# --- Life domains -----------------------------------------------------------------------


# One pass: the mean per analysis (a join), then per case the first and the last mean
# (array_agg in order), then the counts. Written as SQL because the ORM cannot aggregate over
# a grouped query; its correlated form (a subquery per case for the count, the first and
# the last mean, repeated wherever referenced) took 5.6-6.1 s for one year at 100,000 cases,
# this one 0.4-0.5 s (docs/figures.md, "Benchmark").
_LIFE_DOMAIN_SQL = """
WITH analyses AS (
    SELECT a.case_id, a.assessed_on, a.id, avg(s.score) AS mean
    FROM cases_lifedomainassessment a
    JOIN cases_case c ON c.id = a.case_id
    LEFT JOIN cases_lifedomainscore s ON s.assessment_id = a.id
    WHERE c.status = %(closed)s AND c.closed_on BETWEEN %(start)s AND %(end)s
      AND (%(network)s::bigint IS NULL OR c.network_id = %(network)s::bigint)
    GROUP BY a.case_id, a.assessed_on, a.id
), per_case AS (
    SELECT count(*) AS n,
           (array_agg(mean ORDER BY assessed_on, id))[1] AS first_mean,
           (array_agg(mean ORDER BY assessed_on DESC, id DESC))[1] AS last_mean
    FROM analyses
    GROUP BY case_id
), counted AS (
    SELECT first_mean, last_mean, round(last_mean - first_mean, 1) AS change
    FROM per_case
    WHERE n >= 2 AND first_mean IS NOT NULL AND last_mean IS NOT NULL
)
SELECT count(*), avg(first_mean)::float, avg(last_mean)::float,
       count(*) FILTER (WHERE change > 0), count(*) FILTER (WHERE change = 0),
       count(*) FILTER (WHERE change < 0)
FROM counted
"""


def life_domain_change(scope: Scope) -> dict[str, Any]:
    """Cases closed in the period with at least two life-domain analyses: the mean score of
    the first and of the last analysis (over the domains scored), and how many improved, stayed
    level or declined (by the mean, rounded to 0.1). One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            _LIFE_DOMAIN_SQL,
            {
                "closed": CaseStatus.CLOSED.value,
                "start": scope.start,
                "end": scope.end,
                "network": scope.network_id,
            },
        )
        n, first, last, improved, level, declined = cursor.fetchone()
    return {
        "n": n,
        "first": first,
        "last": last,
        "improved": improved,
        "level": level,
        "declined": declined,
    }


# --- Work done --------------------------------------------------------------------------


def work_done(scope: Scope) -> dict[str, Any]:
    """KRIS checks (of cases referred in the period), police screenings requested,
    eviction advices given, relocations advised and material support requested in the
    period; of the support, how much was granted (count and amount). Five aggregate queries,
    one per table."""
    network = {} if scope.network_id is None else {"case__network_id": scope.network_id}
    period = (scope.start, scope.end)
    kris = KrisCheck.objects.filter(case__referred_on__range=period, **network).count()
    screenings = PoliceScreening.objects.filter(requested_on__range=period, **network).count()
    evictions = EvictionAdvice.objects.filter(advised_on__range=period, **network).count()
    relocations = Relocation.objects.filter(advised_on__range=period, **network).count()
    support = MaterialSupport.objects.filter(requested_on__range=period, **network).aggregate(
        requested=Count("pk"),
        granted=Count("pk", filter=Q(decision=SupportDecision.GRANTED)),
        granted_amount=Sum("amount", filter=Q(decision=SupportDecision.GRANTED)),
    )
    return {
        "kris_checks": kris,
        "screenings": screenings,
        "eviction_advices": evictions,
        "relocations": relocations,
        "support_requested": support["requested"],
        "support_granted": support["granted"],
        "support_amount": support["granted_amount"] or Decimal("0.00"),
    }


# --- Meetings ---------------------------------------------------------------------------


def _held(scope: Scope, *, today: datetime.date, prefix: str = "") -> Q:
    last = min(scope.end, today)
    q = Q(**{f"{prefix}status": MeetingStatus.PLANNED, f"{prefix}date__range": (scope.start, last)})
    if scope.network_id is not None:
        q &= Q(**{f"{prefix}network_id": scope.network_id})
    return q


def meetings_held(scope: Scope, *, today: datetime.date) -> list[dict[str, Any]]:
    """Meetings held (not cancelled, on or before today) in the period, per network and kind
    (the advisory and steering groups have no network)."""
    rows = (
        Meeting.objects.filter(_held(scope, today=today))
        .values("network__name", "kind")
        .annotate(n=Count("pk"))
        .order_by("network__name", "kind")
    )
    return [dict(row) for row in rows]


def attendance(scope: Scope, *, today: datetime.date) -> list[dict[str, Any]]:
    """Per organisation: the meetings held in the period where it was on the attendance list,
    and how many of those it attended."""
    rows = (
        Attendance.objects.filter(_held(scope, today=today, prefix="meeting__"))
        .values("organisation__name")
        .annotate(
            listed=Count("meeting", distinct=True),
            present=Count("meeting", distinct=True, filter=Q(present=True)),
        )
        .order_by("organisation__name")
    )
    return [dict(row) for row in rows]


# --- Coordinator dashboard --------------------------------------------------------------


def open_cases(network_id: int | None = None) -> list[dict[str, Any]]:
    """Open cases (referred up to aftercare) per phase, network and casemanager, one query."""
    rows = Case.objects.filter(status__in=OPEN_PHASES)
    if network_id is not None:
        rows = rows.filter(network_id=network_id)
    return [
        dict(row)
        for row in rows.values(
            "status",
            "network_id",
            "network__name",
            "casemanager_id",
            "casemanager__first_name",
            "casemanager__last_name",
        )
        .annotate(n=Count("pk"))
        .order_by()  # grouped by hashing; the caller orders the lines (sorting 8,000 rows by
        # their names first took half the query at 100,000 cases)
    ]


def referrals_per_month(*, today: datetime.date) -> dict[str, int]:
    """Cases referred this calendar month and last month (one query)."""
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    # The range first: the index on the referral date reads these two months only.
    referred = Case.objects.filter(referred_on__gte=last_month, referred_on__lte=today)
    return referred.exclude(status=CaseStatus.DRAFT).aggregate(
        this_month=Count("pk", filter=Q(referred_on__gte=this_month)),
        last_month=Count("pk", filter=Q(referred_on__lt=this_month)),
    )


def nuisance_form_labels() -> dict[str, str]:
    return {value: str(label) for value, label in NuisanceForm.choices}


def intake_deadline_states(*, today: datetime.date) -> dict[str, int]:
    """Open intake deadlines overdue and due soon today (the case list filters on these).
    Both states are open deadlines past their warning date: the partial index on those
    (`deadline_open_soon_idx`) reads only them, never the met and lapsed ones."""
    return Deadline.objects.filter(OPEN, kind=deadline_kinds.INTAKE, soon_on__lte=today).aggregate(
        overdue=Count("pk", filter=state_filter(DeadlineState.OVERDUE, today)),
        due_soon=Count("pk", filter=state_filter(DeadlineState.DUE_SOON, today)),
    )
