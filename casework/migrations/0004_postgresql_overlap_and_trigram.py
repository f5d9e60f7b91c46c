"""PostgreSQL only: periods of one applicant never overlap (exclusion constraint), and a trigram
index for name search. SQLite gets the same overlap rule from the service (casework.services)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE casework_legalstatusperiod ADD CONSTRAINT period_no_overlap
       EXCLUDE USING gist (applicant_id WITH =, daterange(start_date, end_date, '[]') WITH &&)""",
    """CREATE INDEX applicant_search_key_trgm ON casework_applicant
       USING gin (search_key gin_trgm_ops)""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS applicant_search_key_trgm",
    "ALTER TABLE casework_legalstatusperiod DROP CONSTRAINT IF EXISTS period_no_overlap",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_applicants_and_legal_status")]

    operations = [migrations.RunPython(forward, backward)]
