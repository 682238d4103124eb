"""A case full of related data about one person, for the erasure and retention tests.

Persons, a referral that names them, journal entries, a document on disk, criteria, a KRIS
check, a police screening, status changes, history rows (changes made after creation) and
read-log rows. Every free text mentions the person by name and date of birth, so a test can
scan all tables and files afterwards (tests/privacy/scan.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone

from audit import readlog
from audit.models import ReadWhat
from cases import access, keys, services
from cases.choices import (
    Background,
    CaseStatus,
    Confidentiality,
    JournalKind,
    NuisanceForm,
    PersonRole,
)
from cases.models import (
    Action,
    AftercarePlan,
    CaseStatusChange,
    Criterion,
    Evaluation,
    Goal,
    GoalEvaluation,
    Investigation,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
    MaterialSupport,
    Person,
    Plan,
    Relocation,
)
from partners import access as partners_access
from partners.choices import Role
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory
from tests.factories.partners import (
    DistrictFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)


@dataclass
class Team:
    coordinator: Any
    casemanager: Any
    police_rep: Any
    privacy_officer: Any
    uc: Any
    politie: Any
    mitros: Any


def make_team() -> Team:
    uc = OrganisationFactory(name="U Centraal", executing=True)
    politie = OrganisationFactory(name="Politie", police=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    police_rep = UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE])
    partners_access.sync_user_organisation_group(police_rep)
    return Team(
        coordinator=UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        casemanager=UserFactory(organisation=uc, roles=[Role.CASEMANAGER]),
        police_rep=police_rep,
        privacy_officer=UserFactory(organisation=uc, roles=[Role.PRIVACY_OFFICER]),
        uc=uc,
        politie=politie,
        mitros=mitros,
    )


def _read(user: Any, case: Any, persons: list[Any], what: str = ReadWhat.CASE_PAGE) -> None:
    request = RequestFactory().get(f"/casussen/{case.pk}/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    readlog.record(
        request,
        case_id=case.pk,
        what=what,
        basis=access.case_access_basis(user, case),
        person_ids=[person.pk for person in persons],
    )


def _plan_of_approach(
    team: Team, case: Any, causer: Person, *, first: str, last: str, dob: str
) -> None:
    """The plan tables (cases/models/plan.py), each free text naming the causer."""
    name = f"{first} {last}"
    Investigation.objects.create(
        case=case,
        origin_motivation=f"{name} handelt willens en wetens.",
        care_worker_name="Trajectmanager Altrecht",
        alignment_note=f"Afgestemd over {last}.",
        recorded_by=team.casemanager,
    )
    plan = Plan.objects.create(
        case=case,
        number=1,
        summary=f"{name} ({dob}) veroorzaakt overlast.",
        created_by=team.casemanager,
    )
    goal = Goal.objects.create(
        case=case,
        plan=plan,
        specific=f"{last} houdt zich aan de huisregels.",
        indicator=f"Klachten over {last}",
        target="0",
        feasibility=f"{first} wil meewerken.",
        target_date=dt.date(2019, 9, 1),
    )
    goal.indicator = f"Klachten over {name} per maand"  # a change: the history keeps both
    goal._history_user = team.casemanager
    goal.save()
    Action.objects.create(
        case=case,
        goal=goal,
        organisation=team.politie,
        description=f"Gesprek met {name}",
        completion_note=f"{last} was thuis.",
        status="done",
        due_on=dt.date(2019, 5, 1),
        created_by=team.casemanager,
    )
    # A cancelled action must keep a reason (a check constraint): retention leaves a
    # placeholder there instead of the name.
    Action.objects.create(
        case=case,
        goal=goal,
        organisation=team.politie,
        description="Tweede gesprek",
        status="cancelled",
        cancel_reason=f"{last} is verhuisd.",
        due_on=dt.date(2019, 6, 1),
        created_by=team.casemanager,
    )
    evaluation = Evaluation.objects.create(
        case=case,
        plan=plan,
        kind="final",
        held_on=dt.date(2019, 9, 1),
        participants=f"{name}, casemanager",
        notes=f"{last} is in zorg bij Altrecht.",
        neighbours_outcome="manageable",
        partners_outcome="manageable",
        causer_in_care=True,
        housing_outcome="stayed",
        follow_up="aftercare",
        recorded_by=team.casemanager,
    )
    GoalEvaluation.objects.create(
        case=case, evaluation=evaluation, goal=goal, result="achieved", note=f"{last} deed mee."
    )
    assessment = LifeDomainAssessment.objects.create(
        case=case,
        moment="plan",
        plan=plan,
        assessed_on=dt.date(2019, 4, 10),
        assessed_by=team.casemanager,
    )
    LifeDomainScore.objects.create(
        case=case,
        assessment=assessment,
        domain=LifeDomain.objects.get(code="mental_health"),
        score=2,
        note=f"{first} heeft een psychose gehad.",
    )
    AftercarePlan.objects.create(
        case=case,
        summary=f"Nazorg voor {name}.",
        end_date=dt.date(2019, 12, 1),
        handover_to="Buurtteam",
        handover_what=f"Dossier van {last}.",
        created_by=team.casemanager,
    )
    MaterialSupport.objects.create(
        case=case,
        amount=150,
        purpose=f"Vloerbedekking bij {last}",
        corporation=team.mitros,
        why_not_regular=f"{first} heeft schulden.",
        requested_by=team.casemanager,
        requested_on=dt.date(2019, 5, 1),
    )
    Relocation.objects.create(
        case=case,
        relocated="causer",
        person=causer,
        corporation=team.mitros,
        advice=f"{name} uitplaatsen.",
        advised_by=team.casemanager,
        advised_on=dt.date(2019, 6, 1),
        proposal=f"Woning voor {last} in Zuilen.",
        housing_permit_note=f"Vergunning op naam van {last}.",
    )


def make_full_case(
    team: Team,
    *,
    first: str,
    last: str,
    born: dt.date,
    street: str,
    neighbour: tuple[str, str] = ("", ""),
    closed_on: dt.date | None = None,
    media: Any = None,
) -> tuple[Any, Person]:
    """One case around the causer `first last`, born `born`. Returns (case, causer)."""
    district = DistrictFactory(name="Overvecht")
    network = NetworkFactory(name="Netwerk Noordoost")
    dob = f"{born.day}-{born.month}-{born.year}"
    case = CaseFactory(
        casemanager=team.casemanager,
        created_by=team.coordinator,
        district=district,
        network=network,
        street=street,
        house_number=7,
        postcode="3563AB",
        corporation=team.mitros,
        housing_type="corporation",
        referred_on=dt.date(2019, 3, 4),
        intake_started_on=dt.date(2019, 3, 6),
        accepted_on=dt.date(2019, 3, 20),
        is_repeat_referral=True,
        address_key=keys.address_key("3563AB", 7, ""),
        criteria_override_motivation=f"Acuut: {first} {last} bedreigt buren.",
    )
    ReferralFactory(
        case=case,
        organisation=team.mitros,
        referrer=UserFactory(organisation=team.mitros, roles=[Role.REFERRER]),
        contact_name="Wijkconsulent",
        nuisance_forms=[NuisanceForm.NOISE, NuisanceForm.THREATS],
        backgrounds=[Background.PSYCHIATRIC, Background.SUBSTANCE],
        description=f"{first} {last} (geboren {dob}) maakt 's nachts lawaai.",
        actions_taken=f"Gesprek met {last} gevoerd.",
        # A name typed into the referrer's own reference by accident: anonymisation clears it.
        referrer_reference=f"Dossier {last}",
        submitted_at=timezone.now(),
    )
    causer = PersonFactory(
        case=case,
        role=PersonRole.CAUSER,
        first_name=first,
        last_name=last,
        date_of_birth=born,
        phone="0612345678",
        notes=f"{first} is bekend bij de GGZ.",
        person_key=keys.person_key(first, last, born),
    )
    # A change after creation: the history keeps the old value too.
    causer.phone = "0687654321"
    causer._history_user = team.casemanager
    causer.save()
    persons = [causer]
    if neighbour[1]:
        persons.append(
            PersonFactory(
                case=case,
                role=PersonRole.NEIGHBOUR,
                first_name=neighbour[0],
                last_name=neighbour[1],
                date_of_birth=None,
                notes=f"Klaagt over {first} {last}.",
                person_key=keys.person_key(neighbour[0], neighbour[1], None),
            )
        )
    services.involvement_add(case=case, organisation=team.politie, by=team.coordinator)
    services.journal_entry_add(
        case=case,
        by=team.casemanager,
        kind=JournalKind.HOME_VISIT,
        occurred_on=dt.date(2019, 4, 1),
        participants=f"{first} {last}, casemanager",
        text=f"Huisbezoek bij {last}. Geboortedatum {born.isoformat()} gecontroleerd.",
        confidentiality=Confidentiality.ALL_INVOLVED,
    )
    services.journal_entry_add(
        case=case,
        by=team.police_rep,
        kind=JournalKind.PARTNER_INFORMATION,
        occurred_on=dt.date(2019, 4, 2),
        participants="",
        text=f"Politie: {first} {last} eerder aangehouden.",
        confidentiality=Confidentiality.CASE_TEAM,
        lawful_basis="politie-wpg",
        data_category="police",
    )
    if media is not None:
        services.document_add(
            case=case,
            by=team.casemanager,
            title=f"Brief aan {last}",
            upload=SimpleUploadedFile(
                "brief.pdf", f"%PDF-1.4 Brief aan {first} {last}, {dob}".encode()
            ),
            confidentiality=Confidentiality.ALL_INVOLVED,
            lawful_basis="gemeente-openbare-orde",
        )
    criterion = Criterion.objects.order_by("number").first()
    if criterion is not None:
        services.criteria_assess(
            case=case,
            answers={criterion.number: (True, f"Overlast door {last} duurt maanden.")},
            by=team.coordinator,
        )
    services.kris_record(
        case=case,
        by=team.coordinator,
        result="unknown",
        target_group_outcome=f"{first} {last} valt binnen de doelgroep.",
    )
    screening = services.screening_request(case=case, by=team.coordinator)
    services.screening_record(
        screening=screening,
        by=team.police_rep,
        risk_level="high",
        safety_advice="Alleen met twee personen.",
        details=f"Wapenbezit bekend van {last}.",
    )
    CaseStatusChange.objects.create(
        case=case,
        from_status=CaseStatus.INTAKE,
        to_status=CaseStatus.ACCEPTED,
        by=team.coordinator,
        motivation=f"{first} {last} voldoet aan de criteria.",
    )
    _plan_of_approach(team, case, causer, first=first, last=last, dob=dob)
    _read(team.casemanager, case, persons)
    _read(team.police_rep, case, persons)
    if closed_on is not None:
        case.status = CaseStatus.CLOSED
        case.closed_on = closed_on
        case._history_user = team.coordinator
        case.save()
    return case, causer


def add_meeting(team: Team, case: Any, *, first: str, last: str, media: Any = None) -> Any:
    """A case meeting that discussed `case`: an agenda item whose question and minutes name
    the causer, a decision with an intended action, a minutes addendum that names them next
    to another case's news, and (with `media`) a cached minutes PDF on disk. Returns the
    agenda item."""
    from meetings.choices import DocumentKind, ItemSource, MeetingKind, RenderState
    from meetings.models import (
        AgendaItem,
        Decision,
        IntendedAction,
        Meeting,
        MeetingDocument,
        MinutesAddendum,
    )

    name = f"{first} {last}"
    meeting = Meeting.objects.create(
        kind=MeetingKind.CASE,
        network=case.network,
        date=dt.date(2019, 4, 9),
        start_time=dt.time(10, 0),
        location="Wijkbureau",
        chair=team.coordinator,
    )
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        source=ItemSource.PLAN,
        case=case,
        question=f"Plan voor {name} vaststellen?",
        summary=f"{last} weigert hulp; buren willen verhuizen.",
    )
    item.summary = f"{name} weigert hulp; de buren willen verhuizen."  # the history keeps both
    item.save()
    decision = Decision.objects.create(
        item=item, text=f"Huisbezoek bij {name} met politie.", created_by=team.coordinator
    )
    IntendedAction.objects.create(
        decision=decision,
        organisation=team.politie,
        due_on=dt.date(2019, 4, 20),
        description=f"Wijkagent spreekt {last} aan.",
    )
    MinutesAddendum.objects.create(
        meeting=meeting,
        text=f"Correctie: {name} heeft wel hulp aanvaard. Andere zaak: rondvraag gesloten.",
        created_by=team.coordinator,
    )
    if media is not None:
        document = MeetingDocument(
            meeting=meeting, kind=DocumentKind.MINUTES, state=RenderState.DONE, progress=100
        )
        document.file.save("notulen.pdf", ContentFile(f"%PDF-1.4 {name}".encode()), save=False)
        document.save()
    return item
