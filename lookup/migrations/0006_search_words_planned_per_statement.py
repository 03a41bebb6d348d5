from django.db import migrations

import lookup.search.index


class Migration(migrations.Migration):
    dependencies = [
        ("lookup", "0005_plain_language_texts"),
    ]

    operations = [
        # The search-word trigger plans each statement for its own rows (issue 17): imports
        # were quadratic after a one-row update in the same session. The old body is 0003's.
        migrations.RunSQL(lookup.search.index.search_words_function_sql(), migrations.RunSQL.noop),
    ]
