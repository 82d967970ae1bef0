"""Editors run the desk: the Editor group gets verification.manage_desk (see verification/desk_roles.py)."""

from django.db import migrations


def grant(apps, schema_editor):  # type: ignore[no-untyped-def]
    from django.contrib.auth.management import create_permissions

    from verification.desk_roles import DESK_PERMISSIONS

    # Permissions are normally created after migrate; this migration needs the new one now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in DESK_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="verification", codename__in=codenames))


def revoke(apps, schema_editor):  # type: ignore[no-untyped-def]
    from verification.desk_roles import DESK_PERMISSIONS

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in DESK_PERMISSIONS.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="verification", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("verification", "0003_desk")]

    operations = [migrations.RunPython(grant, revoke)]
