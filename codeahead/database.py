"""Database settings that apply to the web processes only."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

WSGIApplication = Callable[[dict, Callable], Iterable[bytes]]


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


def lost_connection() -> bool:
    """This request's database connection broke (a server restart, a network cut): it is
    gone or closed after an error, which a statement timeout or a bad query never does."""
    for connection in connections.all(initialized_only=True):
        if connection.errors_occurred and (connection.connection is None or connection.connection.closed):
            return True
    return False


def retry_when_connection_lost(application: WSGIApplication, *, retries: int = 2) -> WSGIApplication:
    """A GET or HEAD that failed because its database connection broke under it runs again, on a
    fresh connection (which our backend waits for while the server restarts), up to `retries`
    times: restarts in a row can cut the second connection too.

    CONN_HEALTH_CHECKS replaces a connection that died between requests; this covers one that
    dies during a request. Only safe methods are run again: their writes (a meter count, a
    search count) were rolled back with the connection, or count the same item again for free.
    """

    def retrying(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return application(environ, start_response)
        started: list = []
        for attempt in range(retries + 1):
            started.clear()
            response = application(environ, lambda *args: started.append(args))
            failed = int(started[0][0].split()[0]) >= 500
            if not (failed and attempt < retries and lost_connection()):
                break
            logger.warning(
                "Database connection lost during %s; running the request again", environ["PATH_INFO"]
            )
            if hasattr(response, "close"):
                response.close()  # request_finished: Django drops the broken connection
        start_response(*started[0])
        return response

    return retrying
