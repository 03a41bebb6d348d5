from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import override_settings

from lookup.ratelimit import search_rate_consume

pytestmark = pytest.mark.usefixtures("demo_codes")


@override_settings(SEARCH_RATE_LIMITS=[(3, 60)])
def test_a_client_searching_too_fast_gets_429_with_retry_after(client):
    for _ in range(3):
        assert client.get("/search", {"q": "E11"}, REMOTE_ADDR="203.0.113.7").status_code == 200

    response = client.get("/search", {"q": "E11"}, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert b"Too many searches" in response.content
    # Another client is not affected, nor are code pages.
    assert client.get("/search", {"q": "E11"}, REMOTE_ADDR="203.0.113.8").status_code == 200
    assert client.get("/icd-10-cm/E11.9/", REMOTE_ADDR="203.0.113.7").status_code == 200


@override_settings(SEARCH_RATE_LIMITS=[(2, 60), (5, 3600)])
def test_the_next_window_lets_the_client_search_again(db):
    start = datetime(2026, 1, 1, 10, 0, 10, tzinfo=UTC)
    decisions = [search_rate_consume(client="198.51.100.1", now=start).allowed for _ in range(3)]
    assert decisions == [True, True, False]
    assert search_rate_consume(client="198.51.100.1", now=start).retry_after == 50

    later = start + timedelta(minutes=1)
    assert search_rate_consume(client="198.51.100.1", now=later).allowed
    # Refused searches count too: that was the 5th of the hour, the hourly limit.
    blocked = search_rate_consume(client="198.51.100.1", now=later + timedelta(minutes=1))
    assert not blocked.allowed
    assert blocked.retry_after == 3600 - 10 - 120


@pytest.mark.django_db(transaction=True)
@override_settings(SEARCH_RATE_LIMITS=[(5, 60)])
def test_concurrent_searches_cannot_slip_past_the_limit():
    now = datetime(2026, 1, 1, 10, 0, 0, tzinfo=UTC)
    results: list[bool] = []
    barrier = threading.Barrier(12)

    def search() -> None:
        barrier.wait()
        try:
            results.append(search_rate_consume(client="192.0.2.99", now=now).allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=search) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 7 + [True] * 5
