"""The case search stands on PostgreSQL trigram indexes (pg_trgm, GIN) on street and last name;
the similarity match of `selectors.case_search` is served by them."""

import pytest
from django.db import connection

from cases.models import Case, Person

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_trigram_extension_and_gin_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s) ORDER BY 1",
            [["case_street_trgm", "person_last_name_trgm"]],
        )
        rows = cursor.fetchall()
    assert [name for name, _ in rows] == ["case_street_trgm", "person_last_name_trgm"]
    assert all("USING gin" in definition and "gin_trgm_ops" in definition for _, definition in rows)


@pytest.mark.parametrize(
    "queryset, index",
    [
        (
            lambda: Person.objects.filter(last_name__trigram_similar="Jansen"),
            "person_last_name_trgm",
        ),
        (lambda: Case.objects.filter(street__trigram_similar="Oudegracht"), "case_street_trgm"),
    ],
)
def test_similarity_search_can_use_the_index(queryset, index):
    assert index in _plan(queryset())


def test_substring_match_is_served_by_the_trigram_index_too():
    from django.db.models import F, Value

    from cases.selectors import ILike

    persons = Person.objects.filter(ILike(F("last_name"), Value("%ansen%")))
    assert "person_last_name_trgm" in _plan(persons)
    cases = Case.objects.filter(ILike(F("street"), Value("%gracht%")))
    assert "case_street_trgm" in _plan(cases)


def test_search_is_case_insensitive_and_takes_wildcards_literally():
    from cases.selectors import case_search
    from tests.factories.cases import CaseFactory, PersonFactory

    gracht = CaseFactory(street="Oudegracht", postcode="3511AB")
    bilt = CaseFactory(street="Biltstraat", postcode="3572AA")
    PersonFactory(case=bilt, first_name="Fatima", last_name="El Amrani")

    def found(query):
        return set(case_search(cases=Case.objects.all(), query=query))

    assert found("DEGRACHT") == {gracht}
    assert found("amrani") == {bilt}
    assert found("%") == set()
    assert found("_") == set()


def test_a_street_and_number_finds_the_cases_at_that_address_not_the_whole_street():
    from cases.selectors import case_search
    from tests.factories.cases import CaseFactory

    at_38 = CaseFactory(street="Vleutenseweg", house_number=38, postcode="3532HJ")
    at_38a = CaseFactory(street="Vleutenseweg", house_number=38, house_number_addition="A")
    CaseFactory.create_batch(3, street="Vleutenseweg", house_number=40)

    def found(query):
        return set(case_search(cases=Case.objects.all(), query=query))

    assert found("Vleutenseweg 38") == {at_38, at_38a}
    assert found("vleutenseweg 38a") == {at_38a}
    assert found("Vleutensweg 38") == {at_38, at_38a}  # a typo in the street
    assert found("3532 HJ 38") == {at_38}  # postcode and number
    assert len(found("Vleutenseweg")) == 5  # the street alone: every case in it


# --- At scale (issue 15, docs/scale.md) ----------------------------------------------------


def test_each_part_of_the_search_union_has_its_own_index():
    from django.db.models import F, Value

    from cases.models import person_full_name
    from cases.selectors import ILike

    full_name = Person.objects.annotate(full_name=person_full_name()).filter(
        ILike(F("full_name"), Value("%Jan Smit%"))
    )
    assert "person_full_name_trgm" in _plan(full_name)
    assert "case_number_trgm" in _plan(Case.objects.filter(ILike(F("number"), Value("%0417%"))))
    assert "case_postcode_upper" in _plan(Case.objects.filter(postcode__iexact="3511ab"))


def test_the_search_is_a_union_of_id_sets_not_an_or_over_every_case():
    from cases.selectors import case_search

    sql = str(case_search(cases=Case.objects.all(), query="Smit").query).upper()
    assert sql.count(" UNION ") >= 3
    assert "%SMIT%" in sql  # ILIKE, which the trigram indexes serve


def test_the_case_lists_order_is_read_from_its_index():
    from cases.selectors import case_list_filtered
    from tests.factories.partners import OrganisationFactory, UserFactory

    coordinator = UserFactory(
        organisation=OrganisationFactory(executing=True), roles=["coordinator"]
    )
    ids = case_list_filtered(user=coordinator).values_list("pk", flat=True)[:25]
    assert "case_referred_on_id_idx" in _plan(ids)


def test_full_name_postcode_and_number_are_found_as_before():
    from cases.selectors import case_search
    from tests.factories.cases import CaseFactory, PersonFactory

    case = CaseFactory(
        street="Oudegracht", house_number=12, postcode="3511AB", number="WO-2026-0417"
    )
    PersonFactory(case=case, first_name="Jan", last_name="de Vries")
    other = CaseFactory(street="Biltstraat", house_number=12, postcode="3572AA")

    def found(query):
        return set(case_search(cases=Case.objects.all(), query=query))

    assert found("jan de vries") == {case}
    assert found("3511 ab") == {case}
    assert found("0417") == {case}
    assert found("Oudegracht 12") == {case}
    assert found("3572AA 12") == {other}
