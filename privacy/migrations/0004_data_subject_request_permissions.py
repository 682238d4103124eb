"""Make sure the data-subject request permissions exist before post_migrate, so the role
groups (partners.roles.sync_role_groups) get them on a fresh database (see cases 0003)."""

from django.db import migrations


def ensure_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="privacy", model="datasubjectrequest"
    )
    for codename, name in [
        ("handle_data_subject_requests", "Can handle data-subject requests"),
        ("view_processing_register", "Can read the record of processing activities"),
    ]:
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_data_subject_requests_and_retention_log"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(ensure_permissions, migrations.RunPython.noop)]
