"""The legal deadline of a data-subject request lives in its deadline row only.

Forwards: a request without a deadline row of kind `data_subject_request` (none are
expected: `request_register` opens one beside every request) gets one from its copied dates
(the extended date once extended; met on the day it was decided), so no date is lost; then
the copies `due_on` and `extended_due_on` go, with the check that tied an extension to its
reason (a reason now is what marks the extension). Backwards: the copies come back, filled
from the deadline rows (the first row's date; the latest row's date once extended)."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

KIND = "data_subject_request"
SOON_DAYS = 7  # about the kind's five working days before the due day


def _due_at(day):
    local = datetime.datetime.combine(day, datetime.time.max, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(datetime.UTC)


def _request_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    request_type, _ = ContentType.objects.get_or_create(
        app_label="privacy", model="datasubjectrequest"
    )
    return request_type


def keep_dates_in_deadline_rows(apps, schema_editor):
    DataSubjectRequest = apps.get_model("privacy", "DataSubjectRequest")
    Deadline = apps.get_model("deadlines", "Deadline")
    request_type = _request_type(apps)
    with_row = Deadline.objects.filter(kind=KIND, subject_type=request_type).values("subject_id")
    for request in DataSubjectRequest.objects.exclude(pk__in=with_row):
        due_on = request.extended_due_on or request.due_on
        decided = request.decided_on is not None
        Deadline.objects.create(
            kind=KIND,
            subject_type=request_type,
            subject_id=request.pk,
            started_on=request.received_on,
            due_on=due_on,
            soon_on=due_on - datetime.timedelta(days=SOON_DAYS),
            due_at=_due_at(due_on),
            met_at=_due_at(request.decided_on) if decided else None,
            # An open request still warns the privacy officers; a decided one never.
            stage_notified=2 if decided else 0,
        )


def restore_copies(apps, schema_editor):
    DataSubjectRequest = apps.get_model("privacy", "DataSubjectRequest")
    Deadline = apps.get_model("deadlines", "Deadline")
    request_type = _request_type(apps)
    rows = Deadline.objects.filter(
        kind=KIND, subject_type=request_type, subject_id=models.OuterRef("pk")
    )
    DataSubjectRequest.objects.update(
        due_on=models.Subquery(rows.order_by("pk").values("due_on")[:1])
    )
    DataSubjectRequest.objects.exclude(extension_reason="").update(
        extended_due_on=models.Subquery(rows.order_by("-pk").values("due_on")[:1])
    )
    # A request without any row (not expected) gets its receipt day rather than no date.
    DataSubjectRequest.objects.filter(due_on__isnull=True).update(due_on=models.F("received_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0010_field_labels_and_choices"),
        ("deadlines", "0002_field_labels_and_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Nullable first, so that going back can add the column before filling it.
        migrations.AlterField(
            model_name="datasubjectrequest",
            name="due_on",
            field=models.DateField(db_index=True, null=True, verbose_name="legal deadline"),
        ),
        migrations.RunPython(keep_dates_in_deadline_rows, restore_copies),
        migrations.RemoveConstraint(
            model_name="datasubjectrequest",
            name="privacy_request_extension_has_reason",
        ),
        migrations.RemoveField(model_name="datasubjectrequest", name="due_on"),
        migrations.RemoveField(model_name="datasubjectrequest", name="extended_due_on"),
    ]
