"""The access log app takes over the read log from privacy (issue 10): state only.

The table `privacy_readlogentry`, its indexes and its append-only trigger (privacy/0002) stay
as they are; no row moves. `RefusedAccess` is new (issue 11: refused access attempts).
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0005_person_rights_and_case_anonymised'),
        ('partners', '0004_users_in_their_organisation_group'),
        ('privacy', '0007_readlog_case_list'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                    migrations.CreateModel(
                        name='ReadLogEntry',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                            ('roles', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=30), default=list, verbose_name='roles')),
                            ('person_ids', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, verbose_name='persons')),
                            ('what', models.CharField(choices=[('case_page', 'Case page'), ('case_list', 'Case list or search result'), ('journal_entry', 'Journal entry'), ('document', 'Document download'), ('intake', 'Intake page'), ('screening', 'Police screening'), ('referral', 'Referral'), ('history', 'Change history'), ('edit_form', 'Edit form with case data'), ('export', 'Export'), ('access_log', 'Read log of the case'), ('pdf', 'PDF'), ('data_subject_request', 'Data-subject request')], max_length=30, verbose_name='what')),
                            ('object_id', models.BigIntegerField(blank=True, null=True, verbose_name='item')),
                            ('path', models.CharField(blank=True, max_length=300, verbose_name='address')),
                            ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                            ('session_hash', models.CharField(blank=True, max_length=16, verbose_name='session')),
                            ('basis', models.CharField(choices=[('coordinator', 'Coordinator'), ('casemanager', 'Casemanager of the case'), ('involved_organisation', 'Involved organisation'), ('screening_police', 'Police asked for a screening'), ('consent_corporation', 'Corporation asked for consent'), ('referrer', 'Referrer of the case'), ('emergency', 'Emergency access (motivated)'), ('privacy_audit', "Privacy officer's audit")], max_length=30, verbose_name='basis')),
                            ('motivation', models.TextField(blank=True, verbose_name='motivation')),
                            ('redacted_at', models.DateTimeField(blank=True, null=True, verbose_name='detail removed at')),
                            ('case', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.case', verbose_name='case')),
                            ('organisation', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.organisation', verbose_name='organisation')),
                            ('user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                        ],
                        options={
                            'verbose_name': 'read log entry',
                            'verbose_name_plural': 'read log',
                            'db_table': 'privacy_readlogentry',
                            'ordering': ['-at', '-pk'],
                            'indexes': [models.Index(fields=['case', 'at'], name='readlog_case_at'), models.Index(fields=['user', 'at'], name='readlog_user_at'), models.Index(fields=['basis', 'at'], name='readlog_basis_at'), django.contrib.postgres.indexes.GinIndex(fields=['person_ids'], name='readlog_person_ids')],
                        },
                    ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name='RefusedAccess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                ('case_id', models.BigIntegerField(verbose_name='case id')),
                ('user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'refused access attempt',
                'verbose_name_plural': 'refused access attempts',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['at'], name='refusedaccess_at'), models.Index(fields=['user', 'at'], name='refusedaccess_user_at')],
            },
        ),
    ]
