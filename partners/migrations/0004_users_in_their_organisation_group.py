"""Put every user with an organisation in that organisation's group ("organisation:<pk>").

Involving an organisation in a case grants its group access (privacy/access.py); users
created before the user services kept that group in step had none, so their organisation's
involvements did not reach them. From now on `partners/services.py` keeps it in step; this
migration repairs the users that already exist. The reverse is a no-op.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("partners", "User")
    for user in User.objects.exclude(organisation=None).only("pk", "organisation_id"):
        own, _created = Group.objects.get_or_create(name=f"organisation:{user.organisation_id}")
        stale = user.groups.filter(name__startswith="organisation:").exclude(pk=own.pk)
        user.groups.remove(*stale)
        user.groups.add(own)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("partners", "0003_seed_utrecht"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
