"""One key asking CasePilot from several threads at once: the site's daily allowance holds exactly."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from api.keys import api_key_create
from casepilot.models import Exchange
from tests.casepilot.conftest import load_guides
from tests.conftest import load_demo_codes
from tests.factories import make_account

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_api_questions_get_exactly_the_allowance(settings):
    load_demo_codes()
    load_guides()
    settings.METER_RULES = {
        **settings.METER_RULES,
        "casepilot_question": {**settings.METER_RULES["casepilot_question"], "verified": 2},
    }
    token = api_key_create(user=make_account("agent@example.com", verified=True), name="agent")[1]
    barrier = threading.Barrier(6)
    statuses, lock = [], threading.Lock()

    def ask(number: int) -> None:
        try:
            barrier.wait()
            response = Client().post(
                "/api/v1/casepilot/questions",
                data=json.dumps({"question": f"What is E11.9? ({number})"}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 429, 429, 429, 429]
    assert Exchange.objects.count() == 2
