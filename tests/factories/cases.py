import datetime as dt

import factory

from cases.choices import CaseStatus, NuisanceForm, PersonRole
from cases.choices_plan import (
    ActionStatus,
    EvaluationKind,
    FollowUp,
    HousingOutcome,
    NuisanceOutcome,
    PlanStatus,
)
from cases.models import Action, Case, Evaluation, Goal, Person, Plan, Referral
from tests.factories.partners import OrganisationFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    # A year the numbering service never hands out, so a case submitted in a test never gets
    # the number of a factory-made case (cases_case_number_key).
    number = factory.Sequence(lambda n: f"WO-1999-{n + 1:04d}")
    status = CaseStatus.REFERRED
    postcode = "3511AB"
    house_number = factory.Sequence(lambda n: n + 1)
    street = "Oudegracht"
    city = "Utrecht"
    referred_on = dt.date(2026, 11, 2)
    created_by = factory.SubFactory(UserFactory)

    class Params:
        accepted = factory.Trait(status=CaseStatus.ACCEPTED, accepted_on=dt.date(2026, 11, 10))
        closed = factory.Trait(status=CaseStatus.CLOSED, closed_on=dt.date(2025, 6, 1))
        investigation = factory.Trait(
            status=CaseStatus.INVESTIGATION, accepted_on=dt.date(2026, 11, 10)
        )
        execution = factory.Trait(status=CaseStatus.EXECUTION, accepted_on=dt.date(2026, 11, 10))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SubFactory(OrganisationFactory, corporation=True)
    referrer = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    contact_name = "Contactpersoon"
    nuisance_forms = factory.LazyFunction(lambda: [NuisanceForm.NOISE, NuisanceForm.THREATS])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    case = factory.SubFactory(CaseFactory)
    role = PersonRole.CAUSER
    first_name = "Piet"
    last_name = factory.Sequence(lambda n: f"de Boer {n}")
    date_of_birth = dt.date(1970, 1, 1)


# --- Plan of approach (cases/models/plan.py) -------------------------------------------------


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan version; `agreed=True` for one marked agreed (without the service's checks)."""

    class Meta:
        model = Plan

    case = factory.SubFactory(CaseFactory, investigation=True)
    number = 1
    summary = "Overlast door geluid en vervuiling."
    created_by = factory.SelfAttribute("case.created_by")

    class Params:
        agreed = factory.Trait(status=PlanStatus.AGREED)


class GoalFactory(factory.django.DjangoModelFactory):
    """A SMART goal; its agreed partners default to one organisation (pass a list)."""

    class Meta:
        model = Goal
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    case = factory.SelfAttribute("plan.case")
    specific = factory.Sequence(lambda n: f"Geen geluidsoverlast meer na 22 uur ({n})")
    indicator = "Aantal klachten van omwonenden per maand"
    target = "0 klachten"
    feasibility = "De bewoner wil meewerken en krijgt begeleiding."
    target_date = dt.date(2027, 6, 1)

    @factory.post_generation
    def agreed_partners(self, create, extracted, **kwargs):
        if create:
            self.agreed_partners.set(
                extracted if extracted is not None else [OrganisationFactory()]
            )


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    goal = factory.SubFactory(GoalFactory)
    case = factory.SelfAttribute("goal.case")
    description = factory.Sequence(lambda n: f"Huisbezoek afleggen ({n})")
    organisation = factory.SubFactory(OrganisationFactory)
    due_on = dt.date(2027, 1, 15)
    created_by = factory.SelfAttribute("case.created_by")

    class Params:
        done = factory.Trait(status=ActionStatus.DONE, completion_note="Gedaan.")
        cancelled = factory.Trait(status=ActionStatus.CANCELLED, cancel_reason="Niet meer nodig.")


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A periodic evaluation; `final=True` for a final one ("manageable", aftercare)."""

    class Meta:
        model = Evaluation

    case = factory.SubFactory(CaseFactory, execution=True)
    kind = EvaluationKind.PERIODIC
    held_on = dt.date(2026, 12, 1)
    participants = "Casemanager, wijkagent, corporatie"
    recorded_by = factory.SelfAttribute("case.created_by")

    class Params:
        final = factory.Trait(
            kind=EvaluationKind.FINAL,
            neighbours_outcome=NuisanceOutcome.MANAGEABLE,
            partners_outcome=NuisanceOutcome.MANAGEABLE,
            causer_in_care=True,
            housing_outcome=HousingOutcome.STAYED,
            follow_up=FollowUp.AFTERCARE,
        )
