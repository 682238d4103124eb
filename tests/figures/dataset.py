"""A hand-built data set for the figures, small enough to count by hand.

Two networks (Noord, Zuid), two referring organisations (Mitros, Politie).

Referred in 2024 (the referral figures):
- 6 cases Noord, district Overvecht, referred by Mitros, forms [noise], backgrounds
  [psychiatric], accepted, with a KRIS check on 3 of them;
- 2 cases Noord, district Zuid, referred by Politie, forms [noise, threats], redirected to
  neighbourhood mediation;
- 1 case Zuid, district Zuid, referred by Mitros and by Politie (two referrals), forms
  [vermin], still in intake;
- not counted: a case referred on 31-12-2023, and a draft dated in 2024.

Closed in 2023 (the closing figures, lead times, recidivism, life domains), 8 cases, all
Noord except case 7 (Zuid); "d" = days from referral to closing:
  i  partners      neighbours    in care  housing     follow-up        d
  0  resolved      resolved      yes      stayed      aftercare(plan)  10
  1  resolved      resolved      yes      stayed      aftercare(plan)  20
  2  resolved      resolved      yes      stayed      aftercare(plan)  30
  3  resolved      resolved      yes      stayed      aftercare(plan)  40
  4  resolved      resolved      yes      stayed      aftercare(plan)  50
  5  manageable    not resolved  no       evicted     passed on        60
  6  manageable    not resolved  no       evicted     passed on        70
  7  not resolved  not resolved  (empty)  homeless    none             80
Each was taken into handling 2 days after referral and accepted 3 days after that.

New referrals after those closings (recidivism, today 31-12-2026, so all 8 can be
followed): of case 0 by the same person, same form → counts; of case 1 on the address,
confirmed → counts; of case 2 on the address, rejected → no; of case 3 by the same person
but another nuisance form → no; of case 4 by the same person, same form, but 3 years and a
month after the closing → no.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from cases.choices import (
    Background,
    CaseStatus,
    KrisResult,
    NuisanceForm,
    RecidivismDecision,
    RedirectTarget,
    RiskLevel,
)
from cases.choices_plan import (
    AssessmentMoment,
    EvaluationKind,
    FollowUp,
    HousingOutcome,
    NuisanceOutcome,
    PassedOnDestination,
    SupportDecision,
)
from cases.models import KrisCheck, PoliceScreening, RecidivismMatch
from cases.models.plan import (
    AftercarePlan,
    Evaluation,
    EvictionAdvice,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
    MaterialSupport,
    Plan,
    Relocation,
)
from deadlines import kinds as deadline_kinds
from deadlines.domain import due_at
from deadlines.models import Deadline
from meetings.choices import MeetingKind, MeetingStatus
from meetings.models import Attendance, Meeting
from partners.choices import OrganisationKind
from tests.factories.cases import CaseFactory, ReferralFactory
from tests.factories.partners import (
    DistrictFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)

D = dt.date


@dataclass
class Data:
    noord: Any
    zuid: Any
    mitros: Any
    politie: Any
    user: Any
    referred: list[Any] = field(default_factory=list)
    closed: list[Any] = field(default_factory=list)


def _case(network: Any, district: Any, user: Any, **kwargs: Any) -> Any:
    return CaseFactory(network=network, district=district, created_by=user, **kwargs)


def _refer(
    case: Any, organisation: Any, user: Any, forms: list[str], backgrounds: list[str]
) -> Any:
    return ReferralFactory(
        case=case,
        organisation=organisation,
        referrer=user,
        nuisance_forms=forms,
        backgrounds=backgrounds,
        submitted_at=timezone.now(),
    )


def build() -> Data:
    noord = NetworkFactory(name="Noord")
    zuid = NetworkFactory(name="Zuid")
    overvecht = DistrictFactory(name="Overvecht")
    district_zuid = DistrictFactory(name="Zuid")
    mitros = OrganisationFactory(name="Mitros", kind=OrganisationKind.CORPORATION)
    politie = OrganisationFactory(name="Politie", kind=OrganisationKind.POLICE)
    user = UserFactory(organisation=mitros)
    data = Data(noord=noord, zuid=zuid, mitros=mitros, politie=politie, user=user)

    # --- Referred in 2024 -------------------------------------------------------------
    for i in range(6):
        case = _case(
            noord,
            overvecht,
            user,
            status=CaseStatus.ACCEPTED,
            referred_on=D(2024, 3, 1 + i),
            intake_started_on=D(2024, 3, 4 + i),
            accepted_on=D(2024, 3, 20),
        )
        _refer(case, mitros, user, [NuisanceForm.NOISE], [Background.PSYCHIATRIC])
        if i < 3:
            KrisCheck.objects.create(case=case, result=KrisResult.KNOWN, recorded_by=user)
        data.referred.append(case)
    for i in range(2):
        case = _case(
            noord,
            district_zuid,
            user,
            status=CaseStatus.REDIRECTED,
            redirect_target=RedirectTarget.MEDIATION,
            referred_on=D(2024, 5, 1 + i),
        )
        _refer(case, politie, user, [NuisanceForm.NOISE, NuisanceForm.THREATS], [])
        data.referred.append(case)
    case = _case(zuid, district_zuid, user, status=CaseStatus.INTAKE, referred_on=D(2024, 11, 1))
    _refer(case, mitros, user, [NuisanceForm.VERMIN], [])
    _refer(case, politie, user, [NuisanceForm.VERMIN], [])
    data.referred.append(case)
    outside = _case(noord, overvecht, user, status=CaseStatus.INTAKE, referred_on=D(2023, 12, 31))
    _refer(outside, mitros, user, [NuisanceForm.NOISE], [])
    draft = _case(noord, overvecht, user, status=CaseStatus.DRAFT, referred_on=D(2024, 6, 1))
    ReferralFactory(case=draft, organisation=mitros, referrer=user)

    # --- Closed in 2023 ---------------------------------------------------------------
    rows = (
        [
            (
                NuisanceOutcome.RESOLVED,
                NuisanceOutcome.RESOLVED,
                True,
                HousingOutcome.STAYED,
                FollowUp.AFTERCARE,
            ),
        ]
        * 5
        + [
            (
                NuisanceOutcome.MANAGEABLE,
                NuisanceOutcome.NOT_RESOLVED,
                False,
                HousingOutcome.EVICTED,
                FollowUp.PASSED_ON,
            ),
        ]
        * 2
        + [
            (
                NuisanceOutcome.NOT_RESOLVED,
                NuisanceOutcome.NOT_RESOLVED,
                None,
                HousingOutcome.HOMELESS,
                FollowUp.NONE,
            ),
        ]
    )
    for i, (partners, neighbours, in_care, housing, follow_up) in enumerate(rows):
        closed_on = D(2023, 1 + i, 10)
        referred_on = closed_on - dt.timedelta(days=10 * (i + 1))
        case = _case(
            zuid if i == 7 else noord,
            overvecht,
            user,
            status=CaseStatus.CLOSED,
            referred_on=referred_on,
            intake_started_on=referred_on + dt.timedelta(days=2),
            accepted_on=referred_on + dt.timedelta(days=5),
            closed_on=closed_on,
        )
        _refer(case, mitros, user, [NuisanceForm.NOISE], [])
        Evaluation.objects.create(
            case=case,
            kind=EvaluationKind.FINAL,
            held_on=closed_on,
            participants="Casemanager, partners",
            partners_outcome=partners,
            neighbours_outcome=neighbours,
            causer_in_care=in_care,
            housing_outcome=housing,
            follow_up=follow_up,
            passed_on_to=PassedOnDestination.EVICTION_PROCEDURE
            if follow_up == FollowUp.PASSED_ON
            else "",
            recorded_by=user,
        )
        if follow_up == FollowUp.AFTERCARE:
            AftercarePlan.objects.create(
                case=case, end_date=closed_on + dt.timedelta(days=180), created_by=user
            )
        data.closed.append(case)

    # Recidivism: new referrals after the closings (see the module docstring).
    repeats = [
        (0, True, "", [NuisanceForm.NOISE], 120),
        (1, False, RecidivismDecision.CONFIRMED, [NuisanceForm.NOISE], 200),
        (2, False, RecidivismDecision.REJECTED, [NuisanceForm.NOISE], 200),
        (3, True, "", [NuisanceForm.VERMIN], 200),
        (4, True, "", [NuisanceForm.NOISE], 3 * 365 + 31),
    ]
    for index, on_person, decision, forms, days in repeats:
        earlier = data.closed[index]
        new = _case(
            noord,
            overvecht,
            user,
            status=CaseStatus.REFERRED,
            referred_on=earlier.closed_on + dt.timedelta(days=days),
        )
        _refer(new, mitros, user, forms, [])
        RecidivismMatch.objects.create(
            case=new, earlier=earlier, on_person=on_person, decision=decision
        )

    # Life domains: case 0 from 2.5 to 4.0, case 1 from 3.0 to 2.5; case 2 has one analysis.
    domains = list(LifeDomain.objects.order_by("order")[:2])
    for index, first, last in ((0, (2, 3), (4, 4)), (1, (3, 3), (2, 3)), (2, (1, 1), None)):
        case = data.closed[index]
        plan = Plan.objects.create(case=case, number=1, created_by=user)
        one = LifeDomainAssessment.objects.create(
            case=case,
            moment=AssessmentMoment.PLAN,
            plan=plan,
            assessed_on=case.accepted_on,
            assessed_by=user,
        )
        for domain, score in zip(domains, first, strict=True):
            LifeDomainScore.objects.create(case=case, assessment=one, domain=domain, score=score)
        if last:
            final = Evaluation.objects.get(case=case)
            two = LifeDomainAssessment.objects.create(
                case=case,
                moment=AssessmentMoment.EVALUATION,
                evaluation=final,
                assessed_on=case.closed_on,
                assessed_by=user,
            )
            for domain, score in zip(domains, last, strict=True):
                LifeDomainScore.objects.create(
                    case=case, assessment=two, domain=domain, score=score
                )
    return data


def add_intake_deadlines(data: Data) -> None:
    """Intake deadlines due in 2024 on the referred cases: 6 met on time, 1 late, 1 overdue;
    one lapsed and one due in 2025 do not count. Consent: none. Six-month: 5 on time."""

    def row(
        case: Any, kind: str, due_on: dt.date, *, met: int | None = None, lapsed: bool = False
    ) -> None:
        deadline_at = due_at(due_on, settings.TIME_ZONE)
        Deadline.objects.create(
            kind=kind,
            case=case,
            started_on=due_on - dt.timedelta(days=7),
            due_on=due_on,
            due_at=deadline_at,
            soon_on=due_on - dt.timedelta(days=2),
            met_at=None if met is None else deadline_at + dt.timedelta(days=met),
            cancelled_at=deadline_at if lapsed else None,
        )

    cases = data.referred
    for i in range(6):
        row(cases[i], deadline_kinds.INTAKE, D(2024, 3, 10 + i), met=-1)
    row(cases[6], deadline_kinds.INTAKE, D(2024, 5, 8), met=2)
    row(cases[7], deadline_kinds.INTAKE, D(2024, 5, 9))
    row(cases[8], deadline_kinds.INTAKE, D(2024, 11, 8), lapsed=True)
    row(data.closed[0], deadline_kinds.INTAKE, D(2025, 1, 8))
    for i in range(5):
        row(cases[i], deadline_kinds.SIX_MONTH_EVALUATION, D(2024, 9, 20), met=-3)


def add_work(data: Data) -> None:
    """In 2024: 2 screenings, 2 eviction advices (Noord), 1 relocation, material support 3
    requested, 2 granted (100.00 and 250.50); in 2023 one more screening and one more
    eviction advice that do not count."""
    case, other = data.referred[0], data.referred[1]
    for day, target in ((D(2024, 4, 1), case), (D(2024, 4, 2), other), (D(2023, 4, 2), other)):
        PoliceScreening.objects.create(
            case=target, requested_by=data.user, requested_on=day, risk_level=RiskLevel.LOW
        )
    for day in (D(2024, 2, 1), D(2024, 12, 31), D(2023, 12, 31)):
        EvictionAdvice.objects.create(
            case=other,
            corporation=data.mitros,
            advised_on=day,
            advice="Ontruiming geadviseerd",
            given_by=data.user,
        )
    Relocation.objects.create(
        case=case,
        relocated="causer",
        corporation=data.mitros,
        advice="Verhuizen",
        advised_by=data.user,
        advised_on=D(2024, 6, 1),
    )
    for amount, decision in (
        (Decimal("100.00"), SupportDecision.GRANTED),
        (Decimal("250.50"), SupportDecision.GRANTED),
        (Decimal("75.00"), SupportDecision.REFUSED),
    ):
        MaterialSupport.objects.create(
            case=case,
            amount=amount,
            purpose="Schoonmaak",
            corporation=data.mitros,
            why_not_regular="Geen regeling",
            requested_by=data.user,
            requested_on=D(2024, 7, 1),
            decision=decision,
        )


def add_meetings(data: Data) -> None:
    """2024: two case meetings of Noord held (Mitros present at both, Politie listed at one
    and absent), one cancelled, one steering group held; one Noord meeting in 2025."""

    def meeting(kind: str, network: Any, day: dt.date, status: str = MeetingStatus.PLANNED) -> Any:
        return Meeting.objects.create(
            kind=kind,
            network=network,
            date=day,
            start_time=dt.time(10),
            location="Stadskantoor",
            status=status,
        )

    first = meeting(MeetingKind.CASE, data.noord, D(2024, 2, 1))
    second = meeting(MeetingKind.CASE, data.noord, D(2024, 3, 1))
    meeting(MeetingKind.CASE, data.noord, D(2024, 4, 1), MeetingStatus.CANCELLED)
    meeting(MeetingKind.STEERING, None, D(2024, 5, 1))
    meeting(MeetingKind.CASE, data.noord, D(2025, 2, 1))
    Attendance.objects.create(meeting=first, organisation=data.mitros, present=True)
    Attendance.objects.create(meeting=second, organisation=data.mitros, present=True)
    Attendance.objects.create(meeting=first, organisation=data.politie, present=False)
