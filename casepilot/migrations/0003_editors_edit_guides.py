"""Editors (lookup's group of staff who fix plain texts) also write the guide articles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def make_permissions(apps, label):
    """Permissions are made after all migrations run; this migration needs them now."""
    config = apps.get_app_config(label)
    previous = getattr(config, "models_module", None)
    config.models_module = previous or True
    create_permissions(config, apps=apps, verbosity=0)  # it skips an app without models_module
    config.models_module = previous

PERMISSIONS = ["view_guidearticle", "add_guidearticle", "change_guidearticle"]


def allow_editors(apps, schema_editor):
    make_permissions(apps, "casepilot")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="casepilot", codename__in=PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("casepilot", "0002_guide_articles"),
        ("lookup", "0009_editors_group"),
    ]

    operations = [migrations.RunPython(allow_editors, migrations.RunPython.noop)]
