"""Openbare Orde en Veiligheid joins case meetings on call only, like Victas (covenant; DOMAIN.md
§3). The seed file says so now; this sets it on installations seeded before."""

from django.db import migrations

PUBLIC_ORDER = "Gemeente Utrecht – Openbare Orde en Veiligheid"


def on_call(apps, schema_editor):
    Organisation = apps.get_model("partners", "Organisation")
    Organisation.objects.filter(name=PUBLIC_ORDER).update(on_call_only=True)


def standing(apps, schema_editor):
    Organisation = apps.get_model("partners", "Organisation")
    Organisation.objects.filter(name=PUBLIC_ORDER).update(on_call_only=False)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_users_in_their_organisation_group"),
    ]

    operations = [
        migrations.RunPython(on_call, standing),
    ]
