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

# The server did not answer at all (no sqlstate: refused, no socket yet), or said it is
# shutting down or starting up (class 57, operator intervention).
RESTARTING_STATES = {None, "57P01", "57P02", "57P03"}


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + settings.DB_CONNECT_WAIT_SECONDS
        while True:
            try:
                return super().get_new_connection(conn_params)
            except psycopg.OperationalError as error:
                if error.sqlstate not in RESTARTING_STATES or time.monotonic() >= deadline:
                    raise
            time.sleep(0.2)
