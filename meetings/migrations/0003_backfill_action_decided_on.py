"""Actions made of a meeting decision before `Action.decided_on` existed get the date of
the case meeting that decided them (the plan page shows it)."""

from django.db import migrations


def backfill(apps, schema_editor):
    IntendedAction = apps.get_model("meetings", "IntendedAction")
    Action = apps.get_model("cases", "Action")
    made = IntendedAction.objects.filter(action_id__isnull=False).values_list(
        "action_id", "decision__item__meeting__date"
    )
    for action_id, date in made:
        Action.objects.filter(pk=action_id, decided_on__isnull=True).update(decided_on=date)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_field_labels"),
        ("cases", "0019_eviction_advice_and_meeting_decision_date"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
