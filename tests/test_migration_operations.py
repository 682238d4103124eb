"""woonoverlast.migration_operations.AlterFieldLabels skips the database step: every field
it changes must differ from the field before it only in what the database does not hold."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from woonoverlast.migration_operations import AlterFieldLabels

pytestmark = pytest.mark.django_db


def test_field_label_migrations_change_nothing_the_database_holds():
    loader = MigrationLoader(connection)
    checked = 0
    for key, migration in sorted(loader.disk_migrations.items()):
        operations = [op for op in migration.operations if isinstance(op, AlterFieldLabels)]
        if not operations:
            continue
        before = loader.project_state(key, at_end=False).apps
        after = loader.project_state(key, at_end=True).apps
        with connection.schema_editor(collect_sql=True) as editor:
            for operation in operations:
                for model_name, name, _field in operation.fields:
                    old = before.get_model(key[0], model_name)._meta.get_field(name)
                    new = after.get_model(key[0], model_name)._meta.get_field(name)
                    # Django's own test of whether AlterField would touch the table.
                    assert not editor._field_should_be_altered(old, new), (key, model_name, name)
                    checked += 1
    assert checked == 209  # cases 0013 and 0016, meetings 0002, privacy 0010
