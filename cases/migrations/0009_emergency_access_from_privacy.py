"""Emergency access grants move from privacy to cases (grants on a case live with the case,
so `cases/access.py` reads them without importing privacy): state only, the table
`privacy_emergencyaccess` stays."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_remove_copied_deadline_dates"),
        ("privacy", "0007_readlog_case_list"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EmergencyAccess",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("motivation", models.TextField(verbose_name="motivation")),
                        (
                            "granted_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="granted at"
                            ),
                        ),
                        ("expires_at", models.DateTimeField(verbose_name="expires at")),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.case",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "emergency access",
                        "verbose_name_plural": "emergency accesses",
                        "db_table": "privacy_emergencyaccess",
                        "ordering": ["-granted_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["user", "expires_at"], name="emergency_user_expires"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
