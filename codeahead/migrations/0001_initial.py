"""The shared cache's table (settings.CACHES["default"], where allauth keeps its rate limits).

Made here so that `migrate`, which every set-up runs, makes it. createcachetable skips a
table that exists, so a database where accounts' old migration 0003 made it is left as is.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
