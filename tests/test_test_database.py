"""The tests' PostgreSQL backend (devtools/postgresql): a transactional test empties the
database quickly and the next one finds the migrated rows again, whatever ran before."""

import pytest
from django.core.management.color import no_style
from django.db import connection, connections

from cases.models import Criterion, LawfulBasis
from devtools.postgresql.base import SEED_SCHEMA

# Transactional, so that the session copies the migrated rows (serialized rollback).
pytestmark = pytest.mark.django_db(transaction=True)


def _criteria():
    return sorted(Criterion.objects.values_list("pk", "number", "text"))


def test_emptied_tables_get_their_migrated_rows_back():
    criteria = _criteria()
    assert len(criteria) == 6 and LawfulBasis.objects.exists()
    tables = ["cases_criterion", "cases_lawfulbasis"]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=False)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    assert not Criterion.objects.exists() and not LawfulBasis.objects.exists()

    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)

    assert _criteria() == criteria and LawfulBasis.objects.exists()


def test_the_copy_is_known_to_every_connection_object_of_the_alias():
    """A connection is local to its thread and async context: after a Playwright journey the
    main thread got a new connection object, which must still know what to restore."""
    fresh = connections.create_connection("default")
    assert fresh._test_serialized_contents == SEED_SCHEMA
