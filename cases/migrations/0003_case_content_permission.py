"""Make sure the case permissions (Case.Meta.permissions) exist before post_migrate.

`partners.roles.sync_role_groups` runs on the partners app's post_migrate signal, which on a
fresh database fires before Django creates the cases app's permissions; without this row the
role groups would not get their case rights until a second `migrate`.
"""

from django.db import migrations


def ensure_permission(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="cases", model="case")
    for codename, name in [
        ("view_case_content", "Can see case content"),
        ("coordinate_cases", "Can coordinate all cases"),
        ("refer_case", "Can refer a case"),
    ]:
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_seed_criteria"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(ensure_permission, migrations.RunPython.noop)]
