"""Two web processes on one database, as behind a load balancer (issue 16, item 6).

Each test starts the production command twice (`bin/serve web`: gunicorn, DEBUG off) on two
ports of 127.0.0.1, both on the test database, and sends a reader's requests to one or the
other as a load balancer would: a logout, the code pages a reader's allowance covers, and the
search rate limit hold across both.
"""

from __future__ import annotations

import re
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import load_demo_codes, subprocess_database_url
from tests.factories import PASSWORD, make_account
from tests.servers import WebServer, collect_static, production_env

# Six codes a verified member may open (1 as a guest + 5 more), and a seventh.
CODES = [
    "/icd-10-cm/E11.9/",
    "/cpt/99213/",
    "/hcpcs/J1100/",
    "/icd-10-cm/I10/",
    "/cpt/77307/",
    "/hcpcs/A0428/",
]
SEVENTH = "/icd-10-cm/Z00.00/"


@pytest.fixture(scope="module")
def folder():
    """Static files and logs. Not pytest's tmp_path: on a machine where others run pytest
    too, it deletes old runs' folders."""
    with tempfile.TemporaryDirectory(prefix="codeahead-two-processes-") as name:
        folder = Path(name)
        # collectstatic reads no database: any address will do.
        collect_static(folder / "static", production_env("postgresql://unused@127.0.0.1:1/unused", folder))
        yield folder


@pytest.fixture
def servers(transactional_db, folder):
    load_demo_codes()
    env = production_env(
        subprocess_database_url(),
        folder / "static",
        CONN_MAX_AGE="600",
        SEARCH_RATE_PER_MINUTE="0",
        SEARCH_RATE_PER_HOUR="4",
    )
    started = []
    try:
        for name in ("a", "b"):
            started.append(WebServer(env, log=folder / f"gunicorn-{name}.log"))
        yield started
    finally:
        for server in started:
            server.stop()


class Browser:
    """One reader's cookies, whichever process answers."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def send(self, server: WebServer, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(data)
        status, answer, text = server.request(method, path, headers=headers, body=body)
        for line in answer.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return status, text

    def post_form(self, server: WebServer, path: str, data: dict) -> tuple[int, str]:
        """GET the form's page, then POST it with its CSRF token, as a browser does."""
        status, page = self.send(server, "GET", path)
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.send(server, "POST", path, {"csrfmiddlewaretoken": token, **data})


def test_a_logout_through_one_process_holds_in_the_other(servers):
    a, b = servers
    make_account("reader@example.com")
    reader = Browser()
    status, _ = reader.post_form(a, "/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})
    assert status == 302
    assert "reader@example.com" in reader.send(a, "GET", "/")[1]
    assert "reader@example.com" in reader.send(b, "GET", "/")[1]
    kept = dict(reader.cookies)

    status, _ = reader.post_form(b, "/accounts/logout/", {})

    assert status == 302
    home = reader.send(a, "GET", "/")[1]
    assert "reader@example.com" not in home and "Log in" in home
    # The old session cookie, replayed, is logged out too.
    reader.cookies = kept
    home = reader.send(a, "GET", "/")[1]
    assert "reader@example.com" not in home and "Log in" in home


def test_a_readers_allowance_is_counted_once_across_both(servers):
    a, b = servers
    guest = Browser()
    assert guest.send(a, "GET", CODES[0])[0] == 200
    # The guest's one view is used, whichever process answers next.
    assert guest.send(b, "GET", CODES[1])[0] == 403
    assert guest.send(b, "GET", CODES[0])[0] == 200  # re-reading an unlocked code is free

    make_account("member@example.com")
    member = Browser()
    member.post_form(b, "/accounts/login/", {"login": "member@example.com", "password": PASSWORD})
    for n, path in enumerate(CODES):
        assert member.send((a, b)[n % 2], "GET", path)[0] == 200, path

    assert member.send(a, "GET", SEVENTH)[0] == 403
    assert member.send(b, "GET", SEVENTH)[0] == 403
    assert member.send(b, "GET", CODES[0])[0] == 200


def test_the_search_rate_limit_holds_across_both(servers):
    a, b = servers
    # The limit counts per clock hour: start well inside one.
    if time.time() % 3600 > 3570:
        time.sleep(3600 - time.time() % 3600 + 1)
    client = Browser()
    statuses = [client.send(server, "GET", "/search?q=diabetes")[0] for server in (a, b, a, b)]
    assert statuses == [200, 200, 200, 200]

    status, text = client.send(b, "GET", "/search?q=fracture")
    assert status == 429 and "Too many searches" in text
    assert client.send(a, "GET", "/search?q=fracture")[0] == 429
