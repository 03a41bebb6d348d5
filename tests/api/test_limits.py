"""Every API request is counted, per key or per client address without one: 429 and Retry-After."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from api.keys import api_key_create
from api.limits import api_rate_consume
from tests.factories import make_account

pytestmark = pytest.mark.django_db


def test_anonymous_allowance_per_address(client, demo_codes, settings):
    settings.API_ANONYMOUS_RATE_LIMITS = [(3, 60)]
    answers = [client.get("/api/v1/systems", REMOTE_ADDR="192.0.2.1") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0]["X-RateLimit-Limit"] == "3" and answers[0]["X-RateLimit-Remaining"] == "2"
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()["error"]
    assert body["status"] == 429 and body["code"] == "rate_limited"
    # Another address has its own allowance.
    assert client.get("/api/v1/systems", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_each_key_is_counted_on_its_own(client, demo_codes, settings):
    settings.API_KEY_RATE_LIMITS = [(2, 60)]
    settings.API_ANONYMOUS_RATE_LIMITS = [(1, 60)]
    user = make_account("a@example.com")
    first = api_key_create(user=user, name="one")[1]
    second = api_key_create(user=user, name="two")[1]

    def call(token):
        return client.get("/api/v1/systems", HTTP_AUTHORIZATION=f"Bearer {token}").status_code

    assert [call(first), call(first), call(first)] == [200, 200, 429]
    assert call(second) == 200
    # A key's requests do not use the address's anonymous allowance.
    assert client.get("/api/v1/systems").status_code == 200
    assert client.get("/api/v1/systems").status_code == 429


def test_the_day_window_counts_too(db):
    limits = [(100, 60), (2, 86_400)]
    assert api_rate_consume(client="x", limits=limits).allowed
    assert api_rate_consume(client="x", limits=limits).allowed
    refused = api_rate_consume(client="x", limits=limits)
    assert not refused.allowed and refused.retry_after > 60


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_never_pass_the_limit():
    results = []

    def hit():
        try:
            results.append(api_rate_consume(client="parallel", limits=[(5, 3600)]).allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 5 and results.count(False) == 7
