from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    # Counts are worthless after a crash; skipping the write-ahead log keeps them cheap.
    operations = [
        migrations.RunSQL(
            "ALTER TABLE api_apiratecounter SET UNLOGGED",
            "ALTER TABLE api_apiratecounter SET LOGGED",
        )
    ]
