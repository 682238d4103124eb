"""Synthetic demo cases, so that every demo role sees something meaningful.

Called by `manage.py seed_demo_cases` (which `seed_demo` runs after the accounts). Every
case is made THROUGH the services in `cases/services.py`, acting as the demo user who would
do that step, so grants, deadlines, notifications, history and status changes are the real
ones. People and street names come from Faker nl_NL with a fixed seed (synthetic, never real
persons); the four-digit postcode areas are real Utrecht areas from
`cases/data/postcode_districts.csv`, the letters and house numbers are made up.

Idempotent: a demo case is recognised by its referral's description (unique per scenario)
on a case created by a demo account; a scenario that exists already is skipped.

Two things the services cannot do, done as small, documented direct updates afterwards:

- the overdue referral: its received date is moved into the past, and the intake deadline
  is lapsed and opened again from that date through the deadlines services, so the
  registry itself computes "overdue";
- the earlier, closed case behind the repeat referral goes the whole way through the
  services: investigation, a plan with one SMART goal and a life-domain analysis marked
  agreed, execution, the final evaluation ("fully resolved" at every complaint source, no
  follow-up) and closing, each step through `case_transition`. Its dates stay today's:
  moving them back would leave its deadlines and history telling another story.
"""

from __future__ import annotations

import datetime
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from faker import Faker

from cases import postcodes, services
from cases.choices import (
    Background,
    CaseStatus,
    Confidentiality,
    ConsentDecision,
    HousingType,
    JournalKind,
    KrisResult,
    NuisanceForm,
    PersonRole,
    RedirectTarget,
    RiskLevel,
)
from cases.choices_plan import (
    ComplaintSource,
    EvaluationKind,
    FollowUp,
    GoalResult,
    HousingOutcome,
    NuisanceOutcome,
)
from cases.domain.plan import FinalOutcome
from cases.models import Case, Criterion, LifeDomain, Person, Referral
from cases.services import plan as plan_services
from deadlines import kinds as deadline_kinds
from deadlines.calendar import working_day_calendar
from deadlines.services import deadline_lapse, deadline_open
from partners.models import Organisation, User

FAKER_SEED = 20260401  # not the accounts' seed: persons are drawn from their own sequence
DEMO_MARK = "[demo]"  # every demo referral's description starts with it

COORDINATOR = "coordinator@example.org"
CM1, CM2, CM3 = (f"casemanager{n}@example.org" for n in (1, 2, 3))
MELDER_MITROS = "melder.mitros@example.org"
MELDER_PORTAAL = "melder.portaal@example.org"
MELDER_POLITIE = "melder.politie@example.org"
POLITIE_REP = "politie@example.org"
CORPORATION_REPRESENTATIVES = {
    "Mitros": "mitros@example.org",
    "Portaal": "portaal@example.org",
    "Bo-Ex": "bo-ex@example.org",
}

REQUIRED_ACCOUNTS = frozenset(
    {COORDINATOR, CM1, CM2, CM3, MELDER_MITROS, MELDER_PORTAAL, MELDER_POLITIE, POLITIE_REP}
    | set(CORPORATION_REPRESENTATIVES.values())
)


# The casemanager's items rest on the municipality's statutory task (catalogue, DOMAIN.md §7).
PUBLIC_ORDER = "gemeente-openbare-orde"


@dataclass(frozen=True)
class Scenario:
    """One demo case: where, who referred it, and how far it gets."""

    title: str  # the unique first line of the description (idempotency key)
    stage: str  # see STAGES
    referrer: str
    postcode: str
    house_number: int
    housing_type: str
    corporation: str | None
    nuisance_forms: tuple[str, ...]
    backgrounds: tuple[str, ...]
    story: str
    casemanager: str | None = None
    urgent: str = ""  # the reason for urgency, when urgent
    same_address_as: str | None = None  # title of an earlier scenario (repeat referral)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return f"{DEMO_MARK} {self.title}\n\n{self.story}"


N = NuisanceForm
B = Background

SCENARIOS: tuple[Scenario, ...] = (
    # The earlier case on the address of the repeat referral below: first, so it is closed
    # before the repeat referral is submitted.
    Scenario(
        "Earlier case on Binnenstad address (closed)",
        "closed",
        MELDER_MITROS,
        "3512 KL",
        14,
        HousingType.CORPORATION,
        "Mitros",
        (N.NOISE, N.POLLUTION),
        (B.SUBSTANCE,),
        "Nachtelijk lawaai en vervuiling van het trappenhuis; na afspraken met de "
        "huurder en hulp bij schulden afgesloten.",
        casemanager=CM1,
    ),
    Scenario(
        "Draft: vermin and filth in a gallery flat",
        "draft",
        MELDER_MITROS,
        "3563 TG",
        112,
        HousingType.CORPORATION,
        "Mitros",
        (N.VERMIN, N.POLLUTION),
        (B.PSYCHOSOCIAL,),
        "Buren melden ongedierte in de galerij; de melding is nog niet af.",
    ),
    Scenario(
        "Referred: noise and threats towards neighbours",
        "referred",
        MELDER_PORTAAL,
        "3526 HC",
        31,
        HousingType.CORPORATION,
        "Portaal",
        (N.NOISE, N.THREATS),
        (B.PSYCHIATRIC,),
        "Al maanden harde muziek 's nachts; buren voelen zich bedreigd in het portiek.",
    ),
    Scenario(
        "Referred: intake deadline passed",
        "overdue",
        MELDER_POLITIE,
        "3524 BR",
        8,
        HousingType.PRIVATE_RENTAL,
        None,
        (N.MISBEHAVIOUR, N.INTIMIDATION),
        (B.SUBSTANCE, B.FINANCIAL),
        "Meerdere meldingen bij de politie van intimiderend gedrag op straat en in de tuin.",
    ),
    Scenario(
        "Urgent: fire risk from hoarding",
        "urgent",
        MELDER_MITROS,
        "3553 VP",
        47,
        HousingType.CORPORATION,
        "Mitros",
        (N.HOARDING, N.VERMIN),
        (B.DEMENTIA,),
        "De woning staat vol; de brandweer zag bij een controle direct brandgevaar.",
        urgent="Brandweer meldt acuut brandgevaar voor de hele flat.",
    ),
    Scenario(
        "Intake: consent and screening requested",
        "intake",
        MELDER_MITROS,
        "3562 ZN",
        5,
        HousingType.CORPORATION,
        "Mitros",
        (N.VANDALISM, N.THREATS, N.DRUG_DEALING),
        (B.SUBSTANCE, B.CRIMINAL),
        "Vernielingen in de lift, bedreigingen en vermoedelijk handel vanuit de woning.",
        casemanager=CM1,
    ),
    Scenario(
        "Intake: owner-occupied home, KRIS checked",
        "intake_kris",
        MELDER_POLITIE,
        "3453 GW",
        22,
        HousingType.OWNER_OCCUPIED,
        None,
        (N.NOISE, N.MISBEHAVIOUR),
        (B.PSYCHOLOGICAL,),
        "Conflict tussen buren loopt op; eigenaar-bewoner schreeuwt en bonkt op muren.",
        casemanager=CM2,
    ),
    Scenario(
        "Accepted: criteria assessed, consent given",
        "accepted",
        MELDER_PORTAAL,
        "3532 EK",
        63,
        HousingType.CORPORATION,
        "Portaal",
        (N.NOISE, N.POLLUTION, N.VERMIN),
        (B.MENTAL_DISABILITY,),
        "Vervuilde woning en geluidsoverlast; eerdere afspraken met de corporatie hielpen niet.",
        casemanager=CM2,
    ),
    Scenario(
        "Accepted: partners involved, journal and report",
        "accepted_full",
        MELDER_MITROS,
        "3522 VD",
        19,
        HousingType.CORPORATION,
        "Mitros",
        (N.NOISE, N.THREATS, N.VIOLENCE),
        (B.PSYCHIATRIC, B.SUBSTANCE),
        "Bedreigingen van buren, een vechtpartij in het trappenhuis en nachtelijk lawaai.",
        casemanager=CM1,
        extra={"partners": ("Altrecht", "Buurtteamorganisatie Sociaal"), "screening": True},
    ),
    Scenario(
        "Accepted: family with parenting problems",
        "accepted_full",
        MELDER_POLITIE,
        "3572 AX",
        3,
        HousingType.CORPORATION,
        "Bo-Ex",
        (N.NOISE, N.MISBEHAVIOUR, N.POLLUTION),
        (B.PARENTING, B.FINANCIAL),
        "Kinderen laat op straat, ruzies en afval op het balkon; de buurt is het zat.",
        casemanager=CM3,
        extra={
            "partners": (
                "Buurtteamorganisatie Jeugd en Gezin",
                "Gemeente Utrecht – Volksgezondheid",
            )
        },
    ),
    Scenario(
        "Accepted on an acute-escalation override",
        "override",
        MELDER_POLITIE,
        "3584 CJ",
        76,
        HousingType.PRIVATE_RENTAL,
        None,
        (N.VIOLENCE, N.THREATS),
        (B.PSYCHIATRIC,),
        "Geweld tegen een buurvrouw; de situatie escaleert snel.",
        casemanager=CM3,
        urgent="Geweld tegen een buurvrouw; direct ingrijpen nodig.",
    ),
    Scenario(
        "Redirected to neighbourhood mediation",
        "redirected",
        MELDER_PORTAAL,
        "3544 RP",
        140,
        HousingType.CORPORATION,
        "Portaal",
        (N.NOISE,),
        (),
        "Burenruzie over geluid van een wasmachine; verder geen problemen bekend.",
    ),
    Scenario(
        "Repeat referral on the same Binnenstad address",
        "repeat",
        MELDER_MITROS,
        "3512 KL",
        14,
        HousingType.CORPORATION,
        "Mitros",
        (N.NOISE, N.MISBEHAVIOUR),
        (B.SUBSTANCE,),
        "Opnieuw nachtelijk lawaai op hetzelfde adres, een jaar na de vorige aanpak.",
        same_address_as="Earlier case on Binnenstad address (closed)",
    ),
)


class _Seeder:
    def __init__(self, users: dict[str, User]) -> None:
        self.users = users
        self.today = timezone.localdate()
        self.organisations = {o.name: o for o in Organisation.objects.all()}
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(FAKER_SEED)
        taken = User.objects.values_list("first_name", "last_name")
        self.account_names = {(f.casefold(), n.casefold()) for f, n in taken}
        self.causers: dict[str, dict[str, Any]] = {}
        self.cases: dict[str, Case] = {}

    def u(self, email: str) -> User:
        return self.users[email]

    # --- people and addresses -------------------------------------------------------

    def _name(self) -> tuple[str, str]:
        """A Faker name that is no account holder's name (drawn again when it is)."""
        while True:
            first, last = self.fake.first_name(), self.fake.last_name()
            if (first.casefold(), last.casefold()) not in self.account_names:
                return first, last

    def _persons(self, scenario: Scenario) -> list[dict[str, Any]]:
        if scenario.same_address_as and scenario.same_address_as in self.causers:
            causer = dict(self.causers[scenario.same_address_as])
        else:
            first, last = self._name()
            causer = {
                "role": PersonRole.CAUSER,
                "first_name": first,
                "last_name": last,
                "date_of_birth": self.fake.date_of_birth(minimum_age=22, maximum_age=78),
            }
        self.causers[scenario.title] = causer
        first, last = self._name()
        neighbour = {
            "role": PersonRole.NEIGHBOUR,
            "first_name": first,
            "last_name": last,
            "phone": "06-" + self.fake.numerify("########"),
            "consents_to_contact": True,
        }
        return [dict(causer), neighbour]

    def _street(self, scenario: Scenario) -> str:
        if scenario.same_address_as and scenario.same_address_as in self.cases:
            return self.cases[scenario.same_address_as].street
        return self.fake.street_name()

    # --- the steps --------------------------------------------------------------------

    def referral(self, scenario: Scenario) -> Referral:
        referrer = self.u(scenario.referrer)
        referral = services.referral_start(by=referrer)
        postcode = postcodes.normalise_postcode(scenario.postcode) or ""
        corporation = self.organisations[scenario.corporation] if scenario.corporation else None
        return services.referral_update(
            referral=referral,
            by=referrer,
            version=referral.version,
            referral_data={
                "contact_phone": "030-" + self.fake.numerify("#######"),
                "contact_email": referrer.email,
                "nuisance_forms": list(scenario.nuisance_forms),
                "backgrounds": list(scenario.backgrounds),
                "nuisance_since": self.today - datetime.timedelta(days=120),
                "description": scenario.description,
                "actions_taken": "Gesprekken met de bewoner en een waarschuwingsbrief.",
                "is_urgent": bool(scenario.urgent),
                "urgency_reason": scenario.urgent,
            },
            case_data={
                "postcode": postcode,
                "house_number": scenario.house_number,
                "street": self._street(scenario),
                "city": "Utrecht",
                "district": postcodes.district_for(postcode),
                "housing_type": scenario.housing_type,
                "corporation": corporation,
            },
            persons=self._persons(scenario),
        )

    def submit(self, referral: Referral, scenario: Scenario) -> Case:
        return services.case_transition(
            case=referral.case,
            to=CaseStatus.REFERRED,
            by=self.u(scenario.referrer),
            referral=referral,
        )

    def take_into_intake(self, case: Case, scenario: Scenario) -> Case:
        coordinator = self.u(COORDINATOR)
        case = services.case_transition(case=case, to=CaseStatus.INTAKE, by=coordinator)
        if scenario.casemanager:
            case = services.case_assign_casemanager(
                case=case, casemanager=self.u(scenario.casemanager), by=coordinator
            )
        return case

    def consent(self, case: Case, *, answer: bool) -> None:
        request = services.consent_request(case=case, by=self.u(case.casemanager.email))
        if answer:
            services.consent_answer(
                request=request,
                decision=ConsentDecision.CONSENT,
                reason="",
                by=self.u(CORPORATION_REPRESENTATIVES[case.corporation.name]),
            )

    def screening(self, case: Case, *, record: bool) -> None:
        screening = services.screening_request(case=case, by=self.u(case.casemanager.email))
        if record:
            services.screening_record(
                screening=screening,
                by=self.u(POLITIE_REP),
                risk_level=RiskLevel.ELEVATED,
                safety_advice="Huisbezoek altijd met z'n tweeën; niet 's avonds.",
                details="Twee meldingen van bedreiging in het afgelopen jaar.",
                lawful_basis="politie-wpg",  # police data, by the police's own decision
            )

    def criteria(self, case: Case, *, all_met: bool = True) -> None:
        answers = {
            number: (all_met, "Blijkt uit de melding en het intakegesprek.")
            for number in Criterion.objects.filter(is_active=True).values_list("number", flat=True)
        }
        services.criteria_assess(case=case, answers=answers, by=self.u(case.casemanager.email))

    def kris(self, case: Case) -> None:
        services.kris_record(
            case=case,
            by=self.u(case.casemanager.email),
            result=KrisResult.KNOWN,
            trajectory_manager_name="Trajectregisseur (demo)",
            trajectory_manager_organisation="Gemeente Utrecht – Volksgezondheid",
            trajectory_manager_contacted_on=self.today,
            plans_aligned=True,
        )

    def waive_screening(self, case: Case) -> None:
        services.screening_waive(
            case=case,
            by=self.u(case.casemanager.email),
            reason="Geen aanwijzingen voor risico's; de politie kent het adres niet.",
        )

    def accept(self, case: Case) -> Case:
        return services.case_transition(
            case=case,
            to=CaseStatus.ACCEPTED,
            by=self.u(COORDINATOR),
            motivation="Voldoet aan de criteria.",
        )

    def partners_and_journal(self, case: Case, scenario: Scenario) -> None:
        casemanager = self.u(case.casemanager.email)
        named = []
        for name in scenario.extra.get("partners", ()):
            organisation = self.organisations[name]
            services.involvement_add(case=case, organisation=organisation, by=casemanager)
            named.append(organisation)
        earlier = self.today - datetime.timedelta(days=1)
        services.journal_entry_add(
            case=case,
            by=casemanager,
            kind=JournalKind.HOME_VISIT,
            occurred_on=earlier,
            participants="Casemanager, bewoner",
            text="Kennismaking bij de bewoner thuis; afspraken over rust na 22.00 uur.",
            confidentiality=Confidentiality.ALL_INVOLVED,
            lawful_basis=PUBLIC_ORDER,
        )
        services.journal_entry_add(
            case=case,
            by=casemanager,
            kind=JournalKind.NOTE,
            occurred_on=self.today,
            participants="",
            text="Bewoner vertelt over schulden en een verbroken relatie (alleen casusteam).",
            confidentiality=Confidentiality.CASE_TEAM,
            lawful_basis=PUBLIC_ORDER,
        )
        if named:
            services.journal_entry_add(
                case=case,
                by=casemanager,
                kind=JournalKind.PHONE_CALL,
                occurred_on=self.today,
                participants=f"Casemanager, {named[0].name}",
                text="Afgestemd wie het eerste contact over de zorgvraag legt.",
                confidentiality=Confidentiality.NAMED_ORGANISATIONS,
                visible_to=named[:1],
                lawful_basis=PUBLIC_ORDER,
            )
        services.document_add(
            case=case,
            by=casemanager,
            title="Verslag huisbezoek",
            upload=SimpleUploadedFile(
                "verslag-huisbezoek.pdf", _report_pdf(case.number), "application/pdf"
            ),
            confidentiality=Confidentiality.ALL_INVOLVED,
            lawful_basis=PUBLIC_ORDER,
        )

    def close_earlier(self, case: Case) -> Case:
        """Close an accepted case the way the covenant asks: investigation, an agreed plan,
        execution, the final evaluation, then "close", every step through the services."""
        casemanager = case.casemanager or self.u(COORDINATOR)
        partner = (
            Organisation.objects.filter(pk__in=case.involvements.values("organisation_id"))
            .order_by("name")
            .first()
            or case.corporation
            or casemanager.organisation
        )
        case = self._step(case, CaseStatus.INVESTIGATION, casemanager)
        plan = plan_services.plan_start(case=case, by=casemanager, summary="Demogegevens.")
        goal = plan_services.goal_add(
            plan=plan,
            by=casemanager,
            specific="Geen geluidsoverlast meer na 22.00 uur",
            indicator="Klachten van omwonenden per maand",
            target="0 klachten",
            agreed_partners=[partner],
            feasibility="De bewoner wil meewerken en heeft hulp aanvaard",
            target_date=self.today + datetime.timedelta(days=90),
        )
        scores = {domain.pk: (4, "") for domain in LifeDomain.objects.filter(is_active=True)}
        plan_services.life_domains_assess(case=case, by=casemanager, plan=plan, scores=scores)
        plan_services.plan_mark_agreed(plan=plan, by=casemanager)
        case = self._step(case, CaseStatus.PLAN_AGREED, casemanager, has_agreed_plan=True)
        case = self._step(case, CaseStatus.EXECUTION, casemanager, has_agreed_plan=True)
        case = self._step(case, CaseStatus.FINAL_EVALUATION, casemanager)
        plan_services.evaluation_record(
            case=case,
            by=casemanager,
            kind=EvaluationKind.FINAL,
            held_on=self.today,
            participants="Casemanager, corporatie, wijkagent, bewoner",
            goal_results={goal.pk: (GoalResult.ACHIEVED, "")},
            scores={pk: (5, "") for pk in scores},
            outcome=FinalOutcome(
                neighbours_outcome=NuisanceOutcome.RESOLVED,
                partners_outcome=NuisanceOutcome.RESOLVED,
                resolved_at_sources=frozenset(ComplaintSource.values),
                causer_in_care=True,
                housing_outcome=HousingOutcome.STAYED,
                follow_up=FollowUp.NONE,
            ),
        )
        return self._step(case, CaseStatus.CLOSED, casemanager, has_final_evaluation=True)

    @staticmethod
    def _step(case: Case, to: CaseStatus, by: User, **facts: bool) -> Case:
        """One status step through `case_transition`. The plan facts are passed only while
        `case_transition` still takes them as arguments (it reads them itself once the plan
        pages are merged)."""
        accepted = inspect.signature(services.case_transition).parameters
        given = {name: value for name, value in facts.items() if name in accepted}
        return services.case_transition(case=case, to=to, by=by, **given)

    def backdate_referral(self, case: Case, working_days: int) -> Case:
        """Demo only: the referral came in `working_days` ago; recompute its intake deadline."""
        received = working_day_calendar().subtract_working_days(self.today, working_days)
        deadline_lapse(kind=deadline_kinds.INTAKE, case=case)
        deadline_open(kind=deadline_kinds.INTAKE, case=case, started_on=received)
        case = Case.objects.get(pk=case.pk)
        case.referred_on = received
        case._history_user = self.u(COORDINATOR)  # type: ignore[attr-defined]
        case.save(update_fields=["referred_on", "updated_at"])
        noon = datetime.time(12, tzinfo=timezone.get_current_timezone())
        for referral in case.referrals.all():
            referral.submitted_at = datetime.datetime.combine(received, noon)
            referral._history_user = referral.referrer  # type: ignore[attr-defined]
            referral.save(update_fields=["submitted_at"])
        return case

    # --- one scenario -----------------------------------------------------------------

    def run(self, scenario: Scenario) -> Case:
        referral = self.referral(scenario)
        case = referral.case
        self.cases[scenario.title] = case
        if scenario.stage == "draft":
            return case
        case = self.submit(referral, scenario)
        self.cases[scenario.title] = case
        stage = scenario.stage
        if stage in ("referred", "urgent", "repeat"):
            return case
        if stage == "overdue":
            return self.backdate_referral(case, working_days=8)
        if stage == "redirected":
            return services.case_transition(
                case=case,
                to=CaseStatus.REDIRECTED,
                by=self.u(COORDINATOR),
                motivation="Een burenconflict zonder achterliggende problematiek: buurtbemiddeling.",
                target=RedirectTarget.MEDIATION,
            )
        case = self.take_into_intake(case, scenario)
        if stage == "intake":
            self.consent(case, answer=False)  # waits in the corporation's inbox
            self.screening(case, record=False)  # waits in the police's inbox
            return case
        if stage == "intake_kris":
            services.kris_record(
                case=case,
                by=case.casemanager,
                result=KrisResult.UNKNOWN,
                target_group_outcome="Niet bekend; valt niet in de doelgroep van KRIS.",
            )
            return case
        if stage == "override":
            self.criteria(case, all_met=False)
            services.criteria_override_set(
                case=case,
                override=True,
                motivation="Acuut geweld: niet wachten op drie maanden overlast.",
                by=self.u(COORDINATOR),
            )
            # The special situation departs from the criteria only: consent still comes first.
            if case.corporation_id:
                self.consent(case, answer=True)
            self.screening(case, record=True)
            self.kris(case)
            return self.accept(Case.objects.get(pk=case.pk))
        # accepted, accepted_full, closed
        if case.corporation_id:
            self.consent(case, answer=True)
        if scenario.extra.get("screening"):
            self.screening(case, record=True)
        else:
            self.waive_screening(case)
        self.kris(case)
        self.criteria(case)
        case = self.accept(case)
        if stage == "accepted_full":
            self.partners_and_journal(case, scenario)
        if stage == "closed":
            case = self.close_earlier(case)
        return case


def _report_pdf(number: str | None) -> bytes:
    """A small, real PDF made with WeasyPrint (as the application makes its own PDFs)."""
    from django.utils.html import escape

    html = (
        "<html><body><h1>Verslag huisbezoek</h1>"
        "<p>Demogegevens: dit verslag is verzonnen en gaat over niemand.</p>"
        f"<p>Zaak: {escape(number or '')}</p></body></html>"
    )
    progress = logging.getLogger("weasyprint.progress")
    level = progress.level
    progress.setLevel(logging.WARNING)  # its step-by-step INFO lines would flood the output
    try:
        import weasyprint  # importing it parses stylesheets and logs that, too

        return weasyprint.HTML(string=html).write_pdf()
    finally:
        progress.setLevel(level)


def existing_titles() -> set[str]:
    descriptions = Referral.objects.filter(
        case__created_by__is_demo=True, description__startswith=DEMO_MARK
    ).values_list("description", flat=True)
    return {d.removeprefix(DEMO_MARK).strip().split("\n", 1)[0] for d in descriptions}


def seed_demo_cases(
    *, users: dict[str, User], report: Callable[[str], None] = lambda line: None
) -> list[Case]:
    """Create the demo cases that do not exist yet; returns the ones created."""
    done = existing_titles()
    seeder = _Seeder(users)
    created: list[Case] = []
    for scenario in SCENARIOS:
        if scenario.title in done:
            # Keep the address of an existing earlier case for a repeat referral.
            existing = Case.objects.filter(
                referrals__description__startswith=f"{DEMO_MARK} {scenario.title}\n"
            ).first()
            if existing is not None:
                seeder.cases[scenario.title] = existing
                causer = Person.objects.filter(case=existing, role=PersonRole.CAUSER).first()
                if causer is not None:
                    seeder.causers[scenario.title] = {
                        "role": PersonRole.CAUSER,
                        "first_name": causer.first_name,
                        "last_name": causer.last_name,
                        "date_of_birth": causer.date_of_birth,
                    }
            continue
        with transaction.atomic():
            case = seeder.run(scenario)
        created.append(case)
        report(f"{case.number or 'draft'}  {CaseStatus(case.status).label}  {scenario.title}")
    return created
