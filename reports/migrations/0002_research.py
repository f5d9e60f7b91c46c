"""Research releases (issue 17): the record of each anonymised research export. Re-pointed onto
0001_exports when the exports part is merged."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0015_outbox_notifications'),
        ('reports', '0001_exports'),
    ]

    operations = [
        migrations.CreateModel(
            name='ResearchRelease',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='made')),
                ('recipient', models.CharField(max_length=200, verbose_name='recipient')),
                ('k_requested', models.PositiveSmallIntegerField(verbose_name='k asked for')),
                ('k_met', models.PositiveIntegerField(verbose_name='k met')),
                ('row_count', models.PositiveIntegerField(verbose_name='rows')),
                ('item_categories', models.JSONField(default=list, verbose_name='item categories')),
                ('intake_from', models.DateField(blank=True, null=True, verbose_name='intake from')),
                ('intake_to', models.DateField(blank=True, null=True, verbose_name='intake to')),
                ('generalised', models.JSONField(blank=True, default=dict)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='made by')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='casework.organisation')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='casework.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'research release',
                'verbose_name_plural': 'research releases',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['organisation', '-created_at'], name='research_release_org_idx')],
            },
        ),
    ]
