"""The open retention deadline of a referral redirected at intake falls due on the day the
retention job anonymises it: its own shorter period (RETENTION_REDIRECTED_DAYS after the
redirection), no longer RETENTION_YEARS_AFTER_CLOSING years like a closed case.

Forwards: due day, due-soon day and due instant of those rows are computed again by the
deadline registry (`DeadlineKind.dates` with the redirected variant), with this
installation's settings and closing days, exactly as a new redirection opens one. The
registry is imported and asked only when there are such rows (hence the import inside the
function), so a new database never depends on it, and the operation is elidable. The stages
already told are forgotten, so the deadline scan tells those of the new dates. Met and lapsed
rows keep their dates (history). Backwards: the kind's own rule again."""

from django.db import migrations

RETENTION = "retention"
REDIRECTED_VARIANT = "redirected"
REDIRECTED = "redirected"


def _recompute(apps, schema_editor, *, variant):
    Deadline = apps.get_model("deadlines", "Deadline")
    rows = list(
        Deadline.objects.using(schema_editor.connection.alias).filter(
            kind=RETENTION,
            case__status=REDIRECTED,
            met_at__isnull=True,
            cancelled_at__isnull=True,
        )
    )
    if not rows:
        return
    from deadlines import registry  # the one place due dates are computed (see above)

    kind = registry.get(RETENTION)
    for row in rows:
        row.due_on, row.soon_on, row.due_at = kind.dates(row.started_on, variant=variant)
        row.stage_notified = 0
    Deadline.objects.using(schema_editor.connection.alias).bulk_update(
        rows, ["due_on", "soon_on", "due_at", "stage_notified"], batch_size=1000
    )


def redirected_period(apps, schema_editor):
    _recompute(apps, schema_editor, variant=REDIRECTED_VARIANT)


def closing_period(apps, schema_editor):
    _recompute(apps, schema_editor, variant="")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0025_status_change_at_index"),
        ("deadlines", "0004_dashboard_index"),
    ]

    operations = [migrations.RunPython(redirected_period, closing_period, elidable=True)]
