"""The Editors group: staff who read and fix the plain-language texts, nothing else here."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def make_permissions(apps, label):
    """Permissions are made after all migrations run; this migration needs them now."""
    config = apps.get_app_config(label)
    previous = getattr(config, "models_module", None)
    config.models_module = previous or True
    create_permissions(config, apps=apps, verbosity=0)  # it skips an app without models_module
    config.models_module = previous

EDITORS = "Editors"
# Viewing codes shows the official text beside the generated one; the texts are theirs to change.
PERMISSIONS = [
    "view_code",
    "view_plaintext",
    "change_plaintext",
    "view_generatedtexttoreview",
    "change_generatedtexttoreview",
]


def create_editors(apps, schema_editor):
    make_permissions(apps, "lookup")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="lookup", codename__in=PERMISSIONS))


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("lookup", "0008_review_queue"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
