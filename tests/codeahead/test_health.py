"""Health checks for the load balancer: the process (/healthz), and its database (/healthz/db)."""

from __future__ import annotations

from django.db import OperationalError


def test_the_liveness_check_answers_without_the_database(client):
    # No database access is allowed in this test: a query would fail it.
    response = client.get("/healthz")

    assert response.status_code == 200 and response.content == b"ok"


def test_the_readiness_check_asks_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz/db")

    assert response.status_code == 200 and response.content == b"ok"


def test_the_readiness_check_says_503_when_the_database_does_not_answer(db, client, monkeypatch):
    def unreachable():
        raise OperationalError("connection refused")

    # Undone before the test's own database clean-up, which needs the connection.
    with monkeypatch.context() as patch:
        patch.setattr("codeahead.views.connection.cursor", unreachable)
        response = client.get("/healthz/db")

    assert response.status_code == 503 and b"database unavailable" in response.content
