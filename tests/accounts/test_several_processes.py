"""The site runs as several processes (gunicorn workers): what one does, the others must honour.

Each test starts a second Django process on the test database, before the change it checks,
so that anything that process kept in its own memory would be stale, and sends it requests
through Django's test client.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import PASSWORD, make_account

ROOT = Path(__file__).resolve().parents[2]

# A request per line in (JSON), its answer per line out.
SECOND_PROCESS = """
import json, sys
import django
django.setup()
from django.test import Client
for line in sys.stdin:
    request = json.loads(line)
    client = Client()
    client.cookies.load(request["cookies"])
    if request["method"] == "POST":
        response = client.post(request["path"], request["data"])
    else:
        response = client.get(request["path"])
    print(json.dumps({"status": response.status_code, "html": response.content.decode()}), flush=True)
"""


class SecondProcess:
    def __init__(self) -> None:
        db = connection.settings_dict
        url = f"postgresql://{db['USER']}@{quote(db['HOST'] or 'localhost', safe='')}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "codeahead.settings",
            "DEBUG": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", SECOND_PROCESS],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def request(self, method: str, path: str, *, cookies: dict, data: dict | None = None) -> dict:
        line = {"method": method, "path": path, "cookies": cookies, "data": data or {}}
        self.process.stdin.write(json.dumps(line) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, "the second process stopped"
        return json.loads(answer)

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def second_process(transactional_db):
    process = SecondProcess()
    yield process
    process.stop()


def test_logging_out_ends_the_session_in_every_process(client, second_process):
    make_account("reader@example.com")
    client.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    assert "reader@example.com" in second_process.request("GET", "/", cookies=cookies)["html"]

    client.post("/accounts/logout/")

    home = second_process.request("GET", "/", cookies=cookies)["html"]
    assert "reader@example.com" not in home and "Log in" in home


def test_failed_logins_count_towards_the_limit_in_every_process(client, second_process):
    make_account("reader@example.com")
    wrong = {"login": "reader@example.com", "password": "wrong-guess"}
    for _ in range(3):
        client.post("/accounts/login/", wrong)

    answers = [second_process.request("POST", "/accounts/login/", cookies={}, data=wrong) for _ in range(3)]

    assert "Too many failed login attempts" not in answers[0]["html"]
    assert "Too many failed login attempts. Try again later." in answers[-1]["html"]
