"""A GET whose database connection is cut while it runs is answered from a fresh connection
(codeahead.database.retry_when_connection_lost, round the WSGI application gunicorn serves)."""

from __future__ import annotations

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError, connection
from django.test import RequestFactory

from codeahead.database import retry_when_connection_lost
from tests.conftest import subprocess_database_url


@pytest.fixture
def kept_connection(transactional_db):
    """The connection is kept between requests and not checked, as a worker's would be
    without CONN_HEALTH_CHECKS: the request itself finds it dead."""
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=False)
    connection.close()
    connection.ensure_connection()
    yield connection
    connection.close()
    connection.settings_dict.update(saved)


def cut(kept) -> None:
    """The server ends the connection's backend, as a restart does."""
    pid = kept.connection.info.backend_pid
    with psycopg.connect(subprocess_database_url(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def call(application, method: str, path: str) -> str:
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD=method, SERVER_NAME="testserver")
    statuses = []
    body = b"".join(application(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    return f"{statuses[0].split()[0]} {body.decode()}"


def test_a_get_whose_connection_was_cut_runs_again_on_a_fresh_one(kept_connection):
    cut(kept_connection)

    assert call(retry_when_connection_lost(WSGIHandler()), "GET", "/healthz/db") == "200 ok"


def test_without_it_the_same_request_fails(kept_connection):
    cut(kept_connection)

    assert call(WSGIHandler(), "GET", "/healthz/db") == "503 database unavailable"


def test_a_request_that_failed_for_another_reason_is_not_run_again(kept_connection):
    runs = []

    def failing(environ, start_response):
        runs.append(environ["PATH_INFO"])
        start_response("500 Internal Server Error", [])
        return [b"broken"]

    assert call(retry_when_connection_lost(failing), "GET", "/") == "500 broken"
    assert runs == ["/"]


def test_a_post_is_never_run_again(kept_connection):
    runs = []

    def posting(environ, start_response):
        # What a form's view does first: a query, on the connection that was cut.
        runs.append(environ["REQUEST_METHOD"])
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            start_response("500 Internal Server Error", [])
            return [b"lost"]
        start_response("200 OK", [])
        return [b"saved"]

    cut(kept_connection)

    assert call(retry_when_connection_lost(posting), "POST", "/consultant/ask/") == "500 lost"
    assert runs == ["POST"]
