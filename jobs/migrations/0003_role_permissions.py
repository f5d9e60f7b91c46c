"""Give the administrator group the jobs models' permissions, for the Django admin.

Administrators are not superusers: they reach the admin through their group (casework 0002), as learning
0002 grants learning's models. Permissions are created here because the post_migrate signal that normally
creates them has not run yet on an empty database. Idempotent.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

MANAGED = (
    "employer",
    "employercontact",
    "jobopening",
    "referral",
    "stagechange",
    "interview",
    "placement",
    "followup",
    "minimumwage",
)
ACTIONS = ("add", "view", "change", "delete")


def _codenames() -> list[str]:
    return [f"{action}_{model}" for model in MANAGED for action in ACTIONS]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("jobs")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="administrator")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="jobs", codename__in=_codenames())
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="administrator").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="jobs", codename__in=_codenames())
        )


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_minimum_wages"),
        ("casework", "0002_default_organisation_and_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
