import datetime

import factory
from django.contrib.auth.models import Group

from partners.choices import OrganisationKind, RepresentativeKind, Role
from partners.models import (
    Covenant,
    District,
    Network,
    NetworkRepresentative,
    Organisation,
    User,
)

PASSWORD = "correct-horse-battery-9"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.CARE_PROVIDER

    class Params:
        corporation = factory.Trait(kind=OrganisationKind.CORPORATION)
        police = factory.Trait(kind=OrganisationKind.POLICE)
        executing = factory.Trait(kind=OrganisationKind.EXECUTING)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Wijk {n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Netwerk {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pass roles=[Role.COORDINATOR, ...] to put them in the role groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Jansen {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        for role in extracted or []:
            group, _ = Group.objects.get_or_create(name=Role(role).value)
            self.groups.add(group)


class NetworkRepresentativeFactory(factory.django.DjangoModelFactory):
    """A person representing their own organisation in a network (standing by default)."""

    class Meta:
        model = NetworkRepresentative

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("user.organisation")
    kind = RepresentativeKind.STANDING

    class Params:
        substitute = factory.Trait(kind=RepresentativeKind.SUBSTITUTE)


class CovenantFactory(factory.django.DjangoModelFactory):
    """A covenant like Utrecht's: first term to 31 December, tacit yearly renewal."""

    class Meta:
        model = Covenant

    title = factory.Sequence(lambda n: f"Convenant {n}")
    signed_on = datetime.date(2015, 4, 1)
    starts_on = datetime.date(2015, 4, 1)
    first_term_ends_on = datetime.date(2015, 12, 31)
    renews_tacitly = True
    notice_months = 3
