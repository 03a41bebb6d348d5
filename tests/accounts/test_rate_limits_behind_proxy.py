"""Behind a proxy, allauth's limits key on the client the proxy names, as every other limit does."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_account

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1


def log_in(client, client_address: str, email: str, password: str):
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_ten_clients_failing_to_log_in_do_not_lock_out_an_eleventh(behind_proxy, client):
    make_account("reader@example.com")
    for n in range(10):
        page = log_in(client, f"203.0.113.{n + 1}", f"someone{n}@example.com", "wrong-guess")
        assert "Too many failed login attempts" not in page.content.decode()

    answer = log_in(client, "198.51.100.7", "reader@example.com", PASSWORD)

    assert answer.status_code == 302
    assert "_auth_user_id" in client.session


def test_one_client_behind_the_proxy_is_still_limited(behind_proxy, client):
    for n in range(11):
        page = log_in(client, "203.0.113.9", f"someone{n}@example.com", "wrong-guess")
    assert "Too many failed login attempts" in page.content.decode()


def test_a_forged_leftmost_hop_does_not_escape_the_limit(behind_proxy, client):
    for n in range(11):
        page = log_in(client, f"192.0.2.{n}, 203.0.113.9", f"someone{n}@example.com", "wrong-guess")
    assert "Too many failed login attempts" in page.content.decode()
