"""The seed migration: Utrecht's covenant parties, districts, networks and covenant."""

import datetime
import importlib

import pytest
from django.apps import apps

from partners.choices import OrganisationKind
from partners.models import Covenant, District, Network, Organisation

pytestmark = pytest.mark.django_db

PARTIES = {
    "Mitros": OrganisationKind.CORPORATION,
    "Portaal": OrganisationKind.CORPORATION,
    "Bo-Ex": OrganisationKind.CORPORATION,
    "GroenWest": OrganisationKind.CORPORATION,
    "SSH": OrganisationKind.CORPORATION,
    "Politie": OrganisationKind.POLICE,
    "Gemeente Utrecht – Volksgezondheid": OrganisationKind.MUNICIPALITY,
    "Gemeente Utrecht – Openbare Orde en Veiligheid": OrganisationKind.MUNICIPALITY,
    "Gemeente Utrecht – Maatschappelijke Ontwikkeling": OrganisationKind.MUNICIPALITY,
    "Victas": OrganisationKind.CARE_PROVIDER,
    "Altrecht": OrganisationKind.CARE_PROVIDER,
    "Lister": OrganisationKind.CARE_PROVIDER,
    "U Centraal": OrganisationKind.EXECUTING,
    "Buurtteamorganisatie Sociaal": OrganisationKind.NEIGHBOURHOOD_TEAM,
    "Buurtteamorganisatie Jeugd en Gezin": OrganisationKind.NEIGHBOURHOOD_TEAM,
}
DISTRICTS = {
    "Noordwest",
    "Overvecht",
    "Noordoost",
    "Oost",
    "Binnenstad",
    "Zuid",
    "Zuidwest",
    "West",
    "Leidsche Rijn",
    "Vleuten-De Meern",
}


def test_every_covenant_party_is_seeded_with_its_kind_and_obligations():
    seeded = {o.name: o for o in Organisation.objects.filter(name__in=PARTIES)}
    assert {name: o.kind for name, o in seeded.items()} == PARTIES
    assert all(o.obligations.startswith("- ") for o in seeded.values())
    assert all(o.is_active for o in seeded.values())


def test_victas_and_public_order_join_meetings_on_call_only():
    on_call = Organisation.objects.filter(name__in=PARTIES, on_call_only=True)
    assert set(on_call.values_list("name", flat=True)) == {
        "Victas",
        "Gemeente Utrecht – Openbare Orde en Veiligheid",
    }


def test_obligations_follow_the_covenant_per_party_type():
    obligations = dict(Organisation.objects.values_list("name", "obligations"))
    assert "binnen 5 werkdagen" in obligations["U Centraal"]
    assert "wisselgeld" in obligations["Mitros"]
    assert obligations["Mitros"] == obligations["SSH"]
    assert "sfeerverslag" in obligations["Politie"]
    assert "screenen" in obligations["Politie"]
    assert "woonhygiëne" in obligations["Gemeente Utrecht – Volksgezondheid"]
    assert "KRIS" in obligations["Gemeente Utrecht – Maatschappelijke Ontwikkeling"]
    assert "verslaving" in obligations["Victas"]
    assert "psychiatrische" in obligations["Altrecht"]
    assert "woonbegeleiding" in obligations["Lister"].lower()
    assert (
        obligations["Buurtteamorganisatie Sociaal"]
        == obligations["Buurtteamorganisatie Jeugd en Gezin"]
    )


def test_ten_districts_each_with_its_own_network():
    assert set(District.objects.values_list("name", flat=True)) >= DISTRICTS
    for name in DISTRICTS:
        network = Network.objects.get(name=f"Netwerk {name}")
        assert list(network.districts.values_list("name", flat=True)) == [name]


def test_covenant_with_all_parties_and_its_term():
    covenant = Covenant.objects.get()
    assert covenant.title.startswith("Convenant Aanpak Extreme Woonoverlast")
    assert set(covenant.parties.values_list("name", flat=True)) == set(PARTIES)
    assert covenant.first_term_ends_on == datetime.date(2015, 12, 31)
    assert covenant.renews_tacitly
    assert covenant.notice_months == 3
    assert "warme overdracht" in covenant.general_obligations
    today = datetime.date(2026, 11, 25)
    assert covenant.current_term_end(today) == datetime.date(2026, 12, 31)
    assert covenant.notice_date(today) == datetime.date(2026, 10, 1)


def test_running_the_seed_again_changes_nothing():
    migration = importlib.import_module("partners.migrations.0003_seed_utrecht")
    counts = (Organisation.objects.count(), District.objects.count(), Network.objects.count())
    Organisation.objects.filter(name="Mitros").update(obligations="")
    migration.seed(apps, None)
    assert (
        Organisation.objects.count(),
        District.objects.count(),
        Network.objects.count(),
    ) == counts
    assert Covenant.objects.count() == 1
    assert Covenant.objects.get().parties.count() == len(PARTIES)
    assert Organisation.objects.get(name="Mitros").obligations.startswith("- ")
