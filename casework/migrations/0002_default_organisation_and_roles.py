"""Create the default organisation and the five role groups with their permissions.

Permissions are created by a post_migrate signal, which has not run yet on an empty database, so
this migration creates content types and permissions itself before assigning them.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

ROLE_PERMISSIONS = {
    # Administrators manage users, roles, teams, organisations, schedules and tokens in the admin.
    "administrator": [
        ("casework", "organisation", ("view", "change")),
        ("casework", "team", ("add", "view", "change", "delete")),
        ("casework", "user", ("add", "view", "change")),
        ("auth", "group", ("view",)),
        ("authtoken", "token", ("add", "view", "delete")),
        ("django_celery_beat", "periodictask", ("add", "view", "change", "delete")),
        ("django_celery_beat", "crontabschedule", ("add", "view", "change", "delete")),
        ("django_celery_beat", "intervalschedule", ("add", "view", "change", "delete")),
        ("axes", "accessattempt", ("view", "delete")),
        ("axes", "accessfailurelog", ("view",)),
        ("otp_totp", "totpdevice", ("view", "delete")),
        ("otp_static", "staticdevice", ("view", "delete")),
    ],
    "supervisor": [
        ("casework", "team", ("view",)),
        ("casework", "user", ("view",)),
    ],
    "caseworker": [
        ("casework", "team", ("view",)),
    ],
    "trainer": [],
    "employer": [],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, apps=apps, verbosity=0)
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Organisation = apps.get_model("casework", "Organisation")
    Organisation.objects.get_or_create(slug="default", defaults={"name": "Tobira"})

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, model, actions in grants:
            codenames = [f"{action}_{model}" for action in actions]
            permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
