"""A PostgreSQL restart under the running site (issue 17, item 8): no request fails because of it.

The site runs as in production (`bin/serve web`: gunicorn, DEBUG off, kept connections) on a
throwaway PostgreSQL cluster of its own (tests/servers.py), which the test restarts in fast mode,
as `systemctl restart postgresql` does: every kept connection dies, and for a moment new ones
are refused.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.servers import ThrowawayPostgres, WebServer, collect_static, manage, production_env

PAGES = ["/", "/healthz/db", "/search?q=diabetes", "/icd-10-cm/", "/icd-10-cm/browse/E11/", "/cpt/77307/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("restart")
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

    clients = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for thread in clients:
        thread.start()
    time.sleep(1)
    cluster.restart()
    cluster.restart()
    time.sleep(1)
    stop.set()
    for thread in clients:
        thread.join()

    assert len(answers) > 20
    assert [answer for answer in answers if answer[1] != 200] == []
