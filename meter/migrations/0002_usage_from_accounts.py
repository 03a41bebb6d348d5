"""The code page quota's rows, kept by accounts until now, become the meter's "code_page" rows;
staff's extra views per account become grants. Set-based copies, one statement a table."""

from django.db import migrations

COPY = [
    """
    INSERT INTO meter_usage (reader, resource, period, used, user_id, carried_to_id, updated_at)
    SELECT subject, 'code_page', period, used, user_id, carried_to_id, updated_at
    FROM accounts_pageviewusage
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO meter_unlock (reader, resource, period, item, user_id, created_at)
    SELECT subject, 'code_page', period, code_id::text, user_id, created_at
    FROM accounts_pageviewunlock
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO meter_addressusage (address_hash, resource, day, used)
    SELECT address_hash, 'code_page', day, used
    FROM accounts_guestaddressusage
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO meter_grant (user_id, resource, extra)
    SELECT id, 'code_page', extra_views FROM accounts_user WHERE extra_views > 0
    ON CONFLICT DO NOTHING
    """,
]


class Migration(migrations.Migration):
    dependencies = [
        ("meter", "0001_initial"),
        ("accounts", "0003_shared_cache_table"),  # the last state with accounts' quota tables
    ]

    operations = [migrations.RunSQL(sql, migrations.RunSQL.noop) for sql in COPY]
