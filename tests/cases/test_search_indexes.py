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
