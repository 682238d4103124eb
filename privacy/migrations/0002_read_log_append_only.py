"""The read log is append-only in the database itself.

A trigger refuses UPDATE and DELETE on privacy_readlogentry unless the
current transaction set `woonoverlast.readlog_redaction = 'on'` (SET LOCAL, so it ends with
the transaction). Only `privacy.readlog.redact_for_person` / `redact_for_case` set it, for
retention and erasure. Tests: tests/privacy/test_readlog.py.

TRUNCATE is not guarded: the application never issues it, and Django's `flush` (used by
the test runner between transactional tests) needs it. docs/adr/0005-read-log-and-history.md says how
an operator closes that gap with a separate migration role.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION privacy_readlog_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('woonoverlast.readlog_redaction', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'privacy_readlogentry is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_readlog_append_only
    BEFORE UPDATE OR DELETE ON privacy_readlogentry
    FOR EACH ROW EXECUTE FUNCTION privacy_readlog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS privacy_readlog_append_only ON privacy_readlogentry;
DROP FUNCTION IF EXISTS privacy_readlog_append_only();
"""


def ensure_permission(apps, schema_editor):
    """The audit permission must exist before partners' post_migrate syncs the role groups
    (as cases/migrations/0003 does for the case permissions)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="privacy", model="readlogentry")
    Permission.objects.get_or_create(
        content_type=content_type,
        codename="audit_access",
        defaults={"name": "Can audit access to personal data"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_read_log"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunPython(ensure_permission, migrations.RunPython.noop),
    ]
