"""The read log moves to `audit`, emergency access grants to `cases` (state only: tables,
indexes, trigger and rows stay). The `audit_access` permission stays privacy's (the officer's
pages), now declared on DataSubjectRequest; its row and the two models' content types are
moved along so no group loses a permission and no stale content type is left."""

from django.db import migrations

MOVES = [
    (("privacy", "readlogentry"), ("audit", "readlogentry")),
    (("privacy", "emergencyaccess"), ("cases", "emergencyaccess")),
]


def _rename(apps, moves):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (old_app, old_model), (new_app, new_model) in moves:
        if not ContentType.objects.filter(app_label=new_app, model=new_model).exists():
            ContentType.objects.filter(app_label=old_app, model=old_model).update(
                app_label=new_app, model=new_model
            )


def _move_permission(apps, *, from_model, to_model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    target, _ = ContentType.objects.get_or_create(app_label="privacy", model=to_model)
    ours = Permission.objects.filter(codename="audit_access", content_type__app_label="privacy")
    if not ours.filter(content_type=target).exists():
        ours.filter(content_type__model=from_model).update(content_type=target)


def move_content_types(apps, schema_editor):
    _move_permission(apps, from_model="readlogentry", to_model="datasubjectrequest")
    _rename(apps, MOVES)


def move_content_types_back(apps, schema_editor):
    _rename(apps, [(new, old) for old, new in MOVES])
    _move_permission(apps, from_model="datasubjectrequest", to_model="readlogentry")


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0007_readlog_case_list"),
        ("audit", "0001_access_log"),
        ("cases", "0009_emergency_access_from_privacy"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="datasubjectrequest",
            options={
                "ordering": ["-received_on", "-pk"],
                "permissions": [
                    ("audit_access", "Can audit access to personal data"),
                    ("handle_data_subject_requests", "Can handle data-subject requests"),
                    ("view_processing_register", "Can read the record of processing activities"),
                ],
                "verbose_name": "data-subject request",
                "verbose_name_plural": "data-subject requests",
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(
                    model_name="emergencyaccess",
                    name="emergency_user_expires",
                ),
                migrations.RemoveIndex(
                    model_name="readlogentry",
                    name="readlog_case_at",
                ),
                migrations.RemoveIndex(
                    model_name="readlogentry",
                    name="readlog_user_at",
                ),
                migrations.RemoveIndex(
                    model_name="readlogentry",
                    name="readlog_basis_at",
                ),
                migrations.RemoveIndex(
                    model_name="readlogentry",
                    name="readlog_person_ids",
                ),
                migrations.RemoveField(
                    model_name="readlogentry",
                    name="case",
                ),
                migrations.RemoveField(
                    model_name="readlogentry",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="readlogentry",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="EmergencyAccess",
                ),
                migrations.DeleteModel(
                    name="ReadLogEntry",
                ),
            ],
            database_operations=[
                migrations.RunPython(move_content_types, move_content_types_back),
            ],
        ),
    ]
