"""The due dates of the intake and consent deadlines live in their deadline rows only.

Forwards: a case or consent request whose copied due date has no deadline row (none are
expected: the services opened one beside every copy) gets one, so no date is lost; then
the copies go. Backwards: the copies come back, filled from the deadline rows."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

INTAKE = "intake"
CONSENT = "corporation_consent"


def _due_at(day):
    local = datetime.datetime.combine(day, datetime.time.max, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(datetime.UTC)


def keep_dates_in_deadline_rows(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    ConsentRequest = apps.get_model("cases", "ConsentRequest")
    Deadline = apps.get_model("deadlines", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")
    with_row = Deadline.objects.filter(kind=INTAKE).values("case_id")
    for case in Case.objects.filter(intake_due_on__isnull=False).exclude(pk__in=with_row):
        Deadline.objects.create(
            kind=INTAKE,
            case_id=case.pk,
            started_on=case.referred_on or case.intake_due_on,
            due_on=case.intake_due_on,
            soon_on=case.intake_due_on,
            due_at=_due_at(case.intake_due_on),
            # Met or not: the only record is the day it was taken into handling.
            met_at=_due_at(case.intake_started_on) if case.intake_started_on else None,
            stage_notified=2,  # old: never notify it now
        )
    consent_type, _ = ContentType.objects.get_or_create(app_label="cases", model="consentrequest")
    with_row = Deadline.objects.filter(kind=CONSENT, subject_type=consent_type).values("subject_id")
    for request in ConsentRequest.objects.exclude(pk__in=with_row):
        Deadline.objects.create(
            kind=CONSENT,
            case_id=request.case_id,
            subject_type=consent_type,
            subject_id=request.pk,
            organisation_id=request.corporation_id,
            started_on=request.requested_on,
            due_on=request.due_on,
            soon_on=request.due_on,
            due_at=_due_at(request.due_on),
            met_at=_due_at(request.answered_on) if request.answered_on else None,
            stage_notified=2,
        )


def restore_copies(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    ConsentRequest = apps.get_model("cases", "ConsentRequest")
    Deadline = apps.get_model("deadlines", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")
    latest = Deadline.objects.filter(kind=INTAKE, case_id=models.OuterRef("pk")).order_by("-pk")
    Case.objects.update(intake_due_on=models.Subquery(latest.values("due_on")[:1]))
    consent_type = ContentType.objects.filter(app_label="cases", model="consentrequest").first()
    latest = Deadline.objects.filter(
        kind=CONSENT, subject_type=consent_type, subject_id=models.OuterRef("pk")
    ).order_by("-pk")
    ConsentRequest.objects.update(due_on=models.Subquery(latest.values("due_on")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_seed_life_domains"),
        ("deadlines", "0001_deadline"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Nullable first, so that going back can add the column before filling it.
        migrations.AlterField(
            model_name="consentrequest",
            name="due_on",
            field=models.DateField(db_index=True, null=True),
        ),
        migrations.AlterField(
            model_name="historicalconsentrequest",
            name="due_on",
            field=models.DateField(db_index=True, null=True),
        ),
        migrations.RunPython(keep_dates_in_deadline_rows, restore_copies),
        migrations.RemoveField(model_name="case", name="intake_due_on"),
        migrations.RemoveField(model_name="consentrequest", name="due_on"),
        migrations.RemoveField(model_name="historicalcase", name="intake_due_on"),
        migrations.RemoveField(model_name="historicalconsentrequest", name="due_on"),
    ]
