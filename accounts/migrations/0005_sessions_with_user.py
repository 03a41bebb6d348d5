"""Sessions move to accounts.Session, which has a user column (accounts/sessions.py): the
sessions of django_session are copied over, so nobody is logged out by the change."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_sessions(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    Session = apps.get_model("accounts", "Session")
    user_ids = set(apps.get_model("accounts", "User").objects.values_list("pk", flat=True))
    decode = SessionStore().decode
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT session_key, session_data, expire_date FROM django_session WHERE expire_date > %s",
            [timezone.now()],
        )
        rows = cursor.fetchall()
    copies = []
    for key, data, expire_date in rows:
        try:
            user_id = int(decode(data).get("_auth_user_id"))
        except (TypeError, ValueError):
            user_id = None
        user_id = user_id if user_id in user_ids else None
        copies.append(Session(session_key=key, session_data=data, expire_date=expire_date, user_id=user_id))
    Session.objects.bulk_create(copies, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_meter_took_usage'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Session',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
                'db_table': 'accounts_session',
                'abstract': False,
            },
        ),
        migrations.RunPython(copy_sessions, migrations.RunPython.noop),
    ]
