"""The shared cache's table (settings.CACHES["default"], where allauth keeps its rate limits).

Made here so that `migrate`, which every set-up runs, makes it; the command is a no-op when
the table exists.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_page_view_quotas")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
