"""Kept for databases that applied it: the shared cache table is now made by codeahead's
migration 0001 (the site app's). No dependency on it here: on a database that applied this
one first, that would be an inconsistent history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_page_view_quotas")]

    operations = []
