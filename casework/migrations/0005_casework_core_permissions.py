"""Give the administrator group the casework core's model permissions, for the Django admin.

Administrators are not superusers: they reach the admin through their group (0002). The applicant
records are theirs to manage; assignment history and duplicate checks are records of what happened,
so only viewing them is granted. Permissions are created here as in 0002, because the post_migrate
signal that normally creates them has not run yet on an empty database.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

MANAGED = (
    "applicant",
    "alias",
    "householdmember",
    "legalstatusperiod",
    "workpermission",
    "reportingobligation",
    "refugeeprocedure",
    "procedureevent",
)
VIEW_ONLY = ("assignment", "duplicatecheck")
ACTIONS = ("add", "view", "change", "delete")


def _codenames() -> list[str]:
    return [f"{action}_{model}" for model in MANAGED for action in ACTIONS] + [
        f"view_{model}" for model in VIEW_ONLY
    ]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("casework")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="administrator")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="casework", codename__in=_codenames())
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="administrator").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="casework", codename__in=_codenames())
        )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0004_postgresql_overlap_and_trigram"),
        ("casework", "0002_default_organisation_and_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
