"""Many requests at once never use more than the allowance (real PostgreSQL, real threads)."""

from __future__ import annotations

import http.client
import secrets
import threading
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.utils import timezone

from codeahead.client import address_hash
from lookup.models import Code
from meter import services
from meter.models import Unlock, Usage
from tests.factories import make_account

THREADS = 24

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_codes_live")]


def all_at_once(work, arguments: list) -> list:
    """Run work(argument) in one thread each, released together; each thread its own connection."""
    barrier = threading.Barrier(len(arguments))
    results: list = [None] * len(arguments)

    def run(index: int, argument) -> None:
        try:
            barrier.wait()
            results[index] = work(argument)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def different_codes() -> list[Code]:
    found = list(Code.objects.order_by("pk")[:THREADS])
    assert len(found) == THREADS
    return found


def consume_all(reader: services.Reader, codes: list[Code]) -> Counter:
    now = timezone.now()
    decisions = all_at_once(
        lambda code: services.consume(reader=reader, resource="code_page", item=str(code.pk), now=now), codes
    )
    return Counter(decision.allowed for decision in decisions)


def test_one_guest_asking_for_many_codes_at_once_gets_exactly_one():
    reader = services.reader_for_guest(guest_id=secrets.token_hex(16), address_hash=address_hash("192.0.2.1"))

    outcome = consume_all(reader, different_codes())

    assert outcome == Counter({True: 1, False: THREADS - 1})
    assert Usage.objects.get(reader=reader.key).used == 1
    assert Unlock.objects.filter(reader=reader.key).count() == 1


def test_one_account_asking_for_many_codes_at_once_gets_exactly_six():
    reader = services.reader_for_user(make_account("reader@example.com"))

    outcome = consume_all(reader, different_codes())

    assert outcome == Counter({True: 6, False: THREADS - 6})
    assert Usage.objects.get(reader=reader.key).used == 6
    assert Unlock.objects.filter(reader=reader.key).count() == 6


def test_the_same_code_many_times_at_once_costs_one_view():
    reader = services.reader_for_user(make_account("reader@example.com"))
    code = different_codes()[0]

    outcome = consume_all(reader, [code] * THREADS)

    assert outcome == Counter({True: THREADS})
    assert Usage.objects.get(reader=reader.key).used == 1


def test_many_new_guests_from_one_address_at_once_get_the_daily_cap():
    now = timezone.now()
    address = address_hash("192.0.2.2")
    code = different_codes()[0]

    decisions = all_at_once(
        lambda _: services.consume(
            reader=services.reader_for_guest(guest_id=secrets.token_hex(16), address_hash=address),
            resource="code_page",
            item=str(code.pk),
            now=now,
        ),
        list(range(THREADS)),
    )

    assert sum(d.allowed for d in decisions) == 3


def test_many_questions_at_once_are_counted_exactly(settings):
    settings.METER_RULES = {
        **settings.METER_RULES,
        "consultant_question": {"guest": 0, "unverified": 0, "verified": 3, "period": "month"},
    }
    reader = services.reader_for_user(make_account("reader@example.com"))
    now = timezone.now()

    decisions = all_at_once(
        lambda _: services.consume(reader=reader, resource="consultant_question", item=None, now=now),
        list(range(THREADS)),
    )

    assert sum(d.allowed for d in decisions) == 3
    assert Usage.objects.get(reader=reader.key, resource="consultant_question").used == 3


def test_parallel_http_requests_of_one_logged_in_account_open_exactly_six_pages(live_server, client):
    client.force_login(make_account("reader@example.com"))
    session = client.cookies["sessionid"].value
    server = urlsplit(live_server.url)
    paths = [
        code.get_absolute_url() for code in Code.objects.select_related("system").order_by("pk")[:THREADS]
    ]

    def get(path: str) -> int:
        conn = http.client.HTTPConnection(server.hostname, server.port, timeout=30)
        conn.request("GET", path, headers={"Cookie": f"sessionid={session}"})
        status = conn.getresponse().status
        conn.close()
        return status

    statuses = Counter(all_at_once(get, paths))

    assert statuses == Counter({200: 6, 403: THREADS - 6})
