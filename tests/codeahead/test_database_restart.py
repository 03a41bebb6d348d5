"""A PostgreSQL restart under the running site (issue 17, item 8): no request fails because of it.

The site runs as in production (`bin/serve web`: gunicorn, DEBUG off, kept connections) on a
throwaway PostgreSQL cluster of its own (tests/servers.py), which the test restarts in fast mode,
as `systemctl restart postgresql` does: every kept connection dies, and for a moment new ones
are refused.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from codeahead.postgresql.base import DatabaseWrapper
from tests.servers import ThrowawayPostgres, WebServer, collect_static, free_port, manage, production_env

PAGES = ["/", "/healthz/db", "/search?q=diabetes", "/icd-10-cm/", "/icd-10-cm/browse/E11/", "/cpt/77307/"]


@pytest.fixture(scope="module")
def site():
    # Not pytest's tmp_path: on a machine where others run pytest too, it deletes old runs' folders.
    folder = Path(tempfile.mkdtemp(prefix="codeahead-restart-"))
    cluster = ThrowawayPostgres(folder / "cluster", durable=False)
    cluster.start()
    server = None
    try:
        env = production_env(
            cluster.create_database("codeahead"),
            folder / "static",
            CONN_MAX_AGE="600",
            QUOTA_GUEST_VIEWS_PER_ADDRESS_PER_DAY="1000000",
            LOG_LEVEL="WARNING",  # the log then tells which requests ran again
        )
        manage("migrate", "--noinput", env=env)
        manage("load_demo", env=env)
        collect_static(folder / "static", env)
        server = WebServer(env, workers=2, log=folder / "gunicorn.log")
        yield cluster, server
    finally:
        if server:
            server.stop()
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def guest_cookie(server: WebServer) -> str:
    """A guest who opened the code page in PAGES: re-reading it is free, so it stays a 200."""
    status, headers, _ = server.request("GET", "/cpt/77307/")
    assert status == 200
    return headers["set-cookie"].split(";")[0]


def get_all(server: WebServer, cookie: str) -> list[tuple[str, int]]:
    return [(path, server.request("GET", path, headers={"Cookie": cookie})[0]) for path in PAGES]


def test_every_request_after_a_restart_succeeds(site):
    cluster, server = site
    cookie = guest_cookie(server)
    # Both workers hold a connection now.
    for _ in range(3):
        assert {status for _, status in get_all(server, cookie)} == {200}
    before = cluster.pid()

    cluster.restart()

    assert cluster.pid() != before
    answers = [answer for _ in range(3) for answer in get_all(server, cookie)]
    assert [answer for answer in answers if answer[1] != 200] == []


def test_requests_under_way_during_a_restart_succeed(site):
    cluster, server = site
    cookie = guest_cookie(server)
    answers: list[tuple[str, int]] = []
    stop = threading.Event()

    def client(offset: int) -> None:
        i = offset
        while not stop.is_set():
            path = PAGES[i % len(PAGES)]
            i += 1
            try:
                status = server.request("GET", path, headers={"Cookie": cookie})[0]
            except OSError as error:  # a connection reset would be a failure too
                status = repr(error)
            answers.append((path, status))

    clients = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(6)]
    for thread in clients:
        thread.start()
    try:
        time.sleep(1)
        cluster.restart()
        cluster.restart()
        time.sleep(1)
    finally:
        stop.set()
        for thread in clients:
            thread.join()

    assert len(answers) > 20
    assert [answer for answer in answers if answer[1] != 200] == []


def test_a_request_waits_for_a_server_that_is_down_for_a_moment(site):
    cluster, server = site
    cookie = guest_cookie(server)
    outage = threading.Thread(target=cluster.stop_for, args=(3,))
    outage.start()
    time.sleep(1)  # the server is down now, for two seconds more

    began = time.monotonic()
    answers = get_all(server, cookie)
    outage.join()

    assert [answer for answer in answers if answer[1] != 200] == []
    assert time.monotonic() - began > 1  # the first one waited


def probe(settings, django_db_blocker, **database) -> tuple[type | None, float]:
    """Connect with our backend to `database` (changes to the test database's settings)."""
    wrapper = DatabaseWrapper({**connection.settings_dict, **database}, alias="probe")
    began = time.monotonic()
    try:
        with django_db_blocker.unblock():
            wrapper.ensure_connection()
    except OperationalError as error:
        return type(error), time.monotonic() - began
    finally:
        wrapper.close()
    return None, time.monotonic() - began


def test_a_missing_database_fails_at_once(settings, django_db_blocker):
    settings.DB_CONNECT_WAIT_SECONDS = 60

    failed, took = probe(settings, django_db_blocker, NAME="no_such_database")

    assert failed is OperationalError and took < 30


def test_a_server_that_does_not_answer_is_waited_for_then_given_up(settings, django_db_blocker):
    settings.DB_CONNECT_WAIT_SECONDS = 2

    failed, took = probe(settings, django_db_blocker, HOST="127.0.0.1", PORT=str(free_port()))

    assert failed is OperationalError and took >= 2
