"""The privacy officer maintains the catalogue of lawful bases and reviews the items shared
before it (DOMAIN.md §7): list, add, change with history, deactivate; a list of items to
review without their content."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cases import services
from cases.choices import Confidentiality, DataCategory, JournalKind
from cases.models import JournalEntry, LawfulBasis
from partners.choices import Role
from privacy import processing
from tests.cases.case_setup import make_world
from tests.factories.partners import UserFactory


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English source messages (the interface is Dutch by default): the
    pages in English through the language switch's cookie, messages built outside a request
    in English too."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def officer(world):
    return UserFactory(organisation=world.uc, roles=[Role.PRIVACY_OFFICER])


def _unreviewed_entry(world, text="Gesprek met de buurvrouw over de nacht."):
    return services.journal_entry_add(
        case=world.case,
        by=world.casemanager,
        kind=JournalKind.NOTE,
        occurred_on=dt.date(2026, 1, 5),
        participants="",
        text=text,
        confidentiality=Confidentiality.ALL_INVOLVED,
    )


NEW = {
    "label": "Wettelijke taak: Wet verplichte ggz",
    "code": "wvggz",
    "avg_article": "6(1)(e) en 9(2)(g)",
    "national_law": "UAVG art. 30 lid 3; Wvggz art. 5:1",
    "organisation_kinds": ["municipality"],
    "data_categories": ["special"],
    "explanation": "",
}


def test_the_officer_adds_a_basis_and_it_is_offered_to_that_organisation_kind(
    verified_client, officer
):
    client = verified_client(officer)
    response = client.post(reverse("privacy_rights:basis_new"), NEW)
    assert response.status_code == 302
    basis = LawfulBasis.objects.get(code="wvggz")
    assert basis.history.get().history_user == officer
    listing = client.get(reverse("privacy_rights:basis_list")).content.decode()
    assert "Wettelijke taak: Wet verplichte ggz" in listing and "Wvggz art. 5:1" in listing
    assert any("Wvggz" in line for line in processing.lawful_bases())


def test_a_covenant_as_law_is_refused_with_a_clear_message(verified_client, officer):
    response = verified_client(officer).post(
        reverse("privacy_rights:basis_new"),
        {**NEW, "national_law": "Convenant Extreme Woonoverlast Utrecht"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["national_law"] == [
        "A covenant is no legal basis (AVG art. 6(3)). Name the law itself."
    ]
    assert "Wettelijke taak: Wet verplichte ggz" in response.content.decode()
    assert not LawfulBasis.objects.filter(code="wvggz").exists()


def test_a_basis_without_any_law_is_refused(verified_client, officer):
    response = verified_client(officer).post(
        reverse("privacy_rights:basis_new"), {**NEW, "avg_article": "", "national_law": ""}
    )
    assert response.status_code == 200
    assert "national_law" in response.context["form"].errors


@pytest.mark.parametrize(
    "changes, errors",
    [
        # Health data: an art. 9(2) ground and the UAVG article of the exception.
        ({"avg_article": "6(1)(e)"}, {"avg_article"}),
        ({"national_law": "Wvggz art. 5:1"}, {"national_law"}),
        ({"avg_article": "6(1)(e)", "national_law": "Wvggz art. 5:1"}, {"avg_article", "national_law"}),
        ({"avg_article": "6(1)(e) en 9 lid 2 sub g"}, set()),
        # Criminal data: art. 10 and the UAVG.
        ({"data_categories": ["criminal"], "avg_article": "6(1)(e)", "national_law": "UAVG art. 33"}, {"avg_article"}),
        ({"data_categories": ["criminal"], "avg_article": "10", "national_law": "Gemeentewet art. 172"}, {"national_law"}),
        ({"data_categories": ["criminal"], "avg_article": "10", "national_law": "UAVG art. 33"}, set()),
        # Ordinary data need neither.
        ({"data_categories": ["ordinary"], "avg_article": "6(1)(e)", "national_law": "Gemeentewet art. 172"}, set()),
    ],
)  # fmt: skip
def test_health_and_criminal_data_need_their_own_articles(
    verified_client, officer, changes, errors
):
    response = verified_client(officer).post(
        reverse("privacy_rights:basis_new"), {**NEW, **changes}
    )
    if not errors:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert set(response.context["form"].errors) == errors
    assert not LawfulBasis.objects.filter(code="wvggz").exists()


def test_the_article_errors_are_dutch_next_to_the_field(verified_client, officer):
    client = verified_client(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    with translation.override("nl"):
        response = client.post(
            reverse("privacy_rights:basis_new"),
            {**NEW, "avg_article": "6(1)(e)", "national_law": "Wvggz art. 5:1"},
        )
        # The messages are lazy: read them in Dutch.
        errors = {
            name: [str(e) for e in messages]
            for name, messages in response.context["form"].errors.items()
        }
    assert errors["avg_article"][0].startswith("Bijzondere") and "9(2)" in errors["avg_article"][0]
    assert errors["national_law"][0].startswith("Bijzondere")
    assert "UAVG" in errors["national_law"][0]
    html = response.content.decode()
    assert errors["avg_article"][0] in html  # next to the field, in the page as sent
    assert 'value="Wvggz art. 5:1"' in html  # the input is kept


def test_police_data_is_only_for_the_police(verified_client, officer):
    response = verified_client(officer).post(
        reverse("privacy_rights:basis_new"),
        {**NEW, "data_categories": ["police"], "organisation_kinds": ["municipality"]},
    )
    assert "organisation_kinds" in response.context["form"].errors


def test_changes_and_deactivation_show_in_the_history(verified_client, officer):
    client = verified_client(officer)
    basis = LawfulBasis.objects.get(code="gemeente-wmo")
    data = {
        "label": basis.label,
        "code": basis.code,
        "avg_article": basis.avg_article,
        "national_law": "Wmo 2015, art. 2.3.2",
        "organisation_kinds": basis.organisation_kinds,
        "data_categories": basis.data_categories,
        "explanation": "",
    }
    assert (
        client.post(reverse("privacy_rights:basis_edit", args=[basis.pk]), data).status_code == 302
    )
    response = client.post(
        reverse("privacy_rights:basis_set_active", args=[basis.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    basis.refresh_from_db()
    assert not basis.is_active and basis.national_law == "Wmo 2015, art. 2.3.2"
    page = client.get(reverse("privacy_rights:basis_edit", args=[basis.pk]))
    history = page.context["history"]
    assert [v.history_user for v in history[:2]] == [officer, officer]
    assert "Not offered" in page.content.decode()
    assert not any("Wmo 2015, art. 2.3.2" in line for line in processing.lawful_bases())


def test_the_officer_reviews_an_item_without_seeing_its_content(world, verified_client, officer):
    entry = _unreviewed_entry(world)
    client = verified_client(officer)
    listing = client.get(reverse("privacy_rights:basis_review_list")).content.decode()
    assert world.case.number in listing
    assert "buurvrouw" not in listing
    url = reverse("privacy_rights:basis_review", args=["journal", entry.pk])
    page = client.get(url).content.decode()
    assert "buurvrouw" not in page
    # A basis of another organisation kind (the casemanager's U Centraal is executing).
    wrong = LawfulBasis.objects.get(code="corporatie-gerechtvaardigd-belang")
    response = client.post(url, {"data_category": "ordinary", "lawful_basis": wrong.pk})
    assert response.status_code == 200 and "lawful_basis" in response.context["form"].errors
    right = LawfulBasis.objects.get(code="gemeente-openbare-orde")
    response = client.post(url, {"data_category": "ordinary", "lawful_basis": right.pk})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.lawful_basis == right and not entry.basis_to_review
    assert entry.history.first().history_user == officer
    assert client.get(url).status_code == 404  # reviewed: no longer on the list


def test_others_get_403_on_the_catalogue(world, verified_client):
    for user in (world.coordinator, world.casemanager, world.police_rep):
        client = verified_client(user)
        assert client.get(reverse("privacy_rights:basis_list")).status_code == 403
        assert client.get(reverse("privacy_rights:basis_review_list")).status_code == 403


def test_unknown_kind_is_404(verified_client, officer):
    url = reverse("privacy_rights:basis_review", args=["person", 1])
    assert verified_client(officer).get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_review_list_query_budget(
    world, verified_client, officer, django_assert_max_num_queries, count
):
    for n in range(count):
        _unreviewed_entry(world, text=f"Notitie {n}")
    client = verified_client(officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("privacy_rights:basis_review_list"))
    assert response.status_code == 200
    assert JournalEntry.objects.filter(basis_to_review=True).count() == count


@pytest.mark.parametrize("extra", [0, 30])
def test_catalogue_list_query_budget(
    verified_client, officer, django_assert_max_num_queries, extra
):
    for n in range(extra):
        LawfulBasis.objects.create(
            code=f"extra-{n}",
            label=f"Extra {n}",
            avg_article="6(1)(e)",
            organisation_kinds=["municipality"],
            data_categories=[DataCategory.ORDINARY],
        )
    client = verified_client(officer)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("privacy_rights:basis_list")).status_code == 200
