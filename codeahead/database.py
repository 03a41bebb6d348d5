"""Database settings that apply to the web processes only."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db.backends.signals import connection_created


def _set_statement_timeout(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql" and settings.DB_STATEMENT_TIMEOUT_MS > 0:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [settings.DB_STATEMENT_TIMEOUT_MS])


def limit_web_statements() -> Callable[[], None]:
    """Every connection this process opens from now on stops a statement after
    DB_STATEMENT_TIMEOUT_MS, so no request pins a worker and the database for long.

    Called by codeahead/wsgi.py and asgi.py, never by manage.py: imports and other commands run
    as long as they need. Returns what undoes it.
    """
    connection_created.connect(_set_statement_timeout, dispatch_uid="codeahead-statement-timeout")
    return lambda: connection_created.disconnect(dispatch_uid="codeahead-statement-timeout")
