"""PostgreSQL for the tests: Django's own backend, with a faster and sturdier way to empty the
database after a transactional test and to put the migrated data back before the next one.

A transactional test (live server, real Celery worker) commits, so Django empties every table
afterwards and, with serialized rollback, loads the rows the migrations made (Utrecht's
parties, the criteria, permissions, role groups) again before the next one. Django does that
with one TRUNCATE of some 200 tables (PostgreSQL gives each table new files: about 2 s here)
and a JSON dump saved object by object (about 0.8 s). Here:

- emptying is a DELETE per table, with triggers and foreign-key checks off for that
  transaction only (`session_replication_role = replica`); sequences stay where they are, as
  with Django's TRUNCATE without `reset_sequences` (a test asking for reset sequences gets
  Django's own flush);
- the migrated rows are copied once, when the test database is made, into the schema
  `test_seed` (invisible to Django), and copied back with one INSERT ... SELECT per table;
- Django keeps the dump on the connection object, but a connection is local to its
  thread and async context: after a Playwright journey has run an event loop in the main
  thread, the next test got a fresh connection object without the dump, so nothing was put
  back and the next test found no lawful bases. The dump is kept per database alias here.

Table names come from Django's introspection and are quoted (hence the S608 exemptions).
Tests only (settings/test.py); production runs Django's backend unchanged.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.backends.postgresql import base, creation, operations

SEED_SCHEMA = "test_seed"
REPLICA = "SET LOCAL session_replication_role = replica"

# alias -> the marker that the migrated rows were copied (Django's `_test_serialized_contents`)
_SERIALIZED: dict[str, str] = {}


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        if not tables or reset_sequences:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        deletes = "; ".join(f"DELETE FROM {self.quote_name(t)}" for t in tables)  # noqa: S608
        return [f"{REPLICA}; {deletes}"]


class DatabaseCreation(creation.DatabaseCreation):
    def serialize_db_to_string(self) -> str:
        """Copy every table that holds rows into SEED_SCHEMA; the schema's name stands in for
        Django's JSON dump."""
        connection = self.connection
        quote = connection.ops.quote_name
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SEED_SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SEED_SCHEMA}")
            for table in tables:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608
                if cursor.fetchone()[0]:
                    cursor.execute(
                        f"CREATE TABLE {SEED_SCHEMA}.{quote(table)} AS TABLE {quote(table)}"
                    )
        return SEED_SCHEMA

    def deserialize_db_from_string(self, data: str) -> None:
        if data != SEED_SCHEMA:  # a JSON dump from elsewhere: Django's way
            super().deserialize_db_from_string(data)
            return
        connection = self.connection
        quote = connection.ops.quote_name
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                [SEED_SCHEMA],
            )
            tables = [row[0] for row in cursor.fetchall()]
            # Before the first transactional test the rows are still there: replace them.
            inserts = "; ".join(
                f"DELETE FROM {quote(t)}; "  # noqa: S608
                f"INSERT INTO {quote(t)} SELECT * FROM {SEED_SCHEMA}.{quote(t)}"
                for t in tables
            )
            cursor.execute(f"{REPLICA}; {inserts}")


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    creation_class = DatabaseCreation

    @property
    def _test_serialized_contents(self) -> str:
        try:
            return _SERIALIZED[self.alias]
        except KeyError:
            raise AttributeError("_test_serialized_contents") from None

    @_test_serialized_contents.setter
    def _test_serialized_contents(self, value: str) -> None:
        _SERIALIZED[self.alias] = value
