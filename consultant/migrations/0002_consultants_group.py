"""The Consultants group: staff in it work the queue at /consultant/queue/ and may open every
question; its permissions let them read and edit questions and articles in the admin too."""

from django.db import migrations

GROUP = "Consultants"
PERMISSIONS = [
    "view_question",
    "change_question",
    "view_entry",
    "view_statuschange",
    "view_article",
    "add_article",
    "change_article",
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are made after migrations; make this app's now, so the group can hold them.
    # A migration's app config is a stub: mark it as having models so that it is not skipped.
    app_config = apps.get_app_config("consultant")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="consultant", codename__in=PERMISSIONS))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultant", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
