import datetime as dt

import factory

from cases.choices import CaseStatus, NuisanceForm, PersonRole
from cases.models import Case, Person, Referral
from tests.factories.partners import OrganisationFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"WO-2026-{n + 1:04d}")
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
