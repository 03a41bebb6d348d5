"""Django's PostgreSQL backend, waiting for a server that is restarting instead of failing.

While PostgreSQL restarts (a few seconds) a new connection is refused, or told "the database
system is starting up"; this backend tries again until DB_CONNECT_WAIT_SECONDS have passed.
Other failures (a wrong password, a missing database) fail at once.
"""

from __future__ import annotations

import time

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base

# libpq gives no SQLSTATE for a failed connection, only its message: these are the ones of a
# server that is down, stopping or starting (in English, PostgreSQL's default lc_messages).
RESTARTING = (
    "Connection refused",  # TCP, nothing listening yet
    "No such file or directory",  # a Unix socket not there yet
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "the database system is not yet accepting connections",
    "server closed the connection unexpectedly",
)


def is_restarting(error: psycopg.OperationalError) -> bool:
    return any(words in str(error) for words in RESTARTING)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + settings.DB_CONNECT_WAIT_SECONDS
        while True:
            try:
                return super().get_new_connection(conn_params)
            except psycopg.OperationalError as error:
                if not is_restarting(error) or time.monotonic() >= deadline:
                    raise
            time.sleep(0.2)
