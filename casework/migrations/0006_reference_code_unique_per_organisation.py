"""Reference codes are unique per organisation, not across the instance.

Each organisation numbers its people with its own ReferenceCounter (A-2026-00001 onwards), so a
second organisation's first person got A-2026-00001 too and the global unique index refused it.
Every lookup by reference code goes through visible_to, which never crosses organisations.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0005_casework_core_permissions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='applicant',
            name='reference_code',
            field=models.CharField(db_index=True, editable=False, max_length=20, verbose_name='reference code'),
        ),
        migrations.AddConstraint(
            model_name='applicant',
            constraint=models.UniqueConstraint(fields=('organisation', 'reference_code'), name='applicant_reference_unique_in_organisation'),
        ),
    ]
