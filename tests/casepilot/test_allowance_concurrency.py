"""One member asking CasePilot from many threads at once: the daily allowance holds exactly."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from casepilot import services
from casepilot.models import Exchange
from meter.models import Usage
from meter.services import reader_for_user
from tests.casepilot.conftest import load_guides
from tests.conftest import load_demo_codes
from tests.factories import make_account

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
ALLOWANCE = 3


def ask_at_once(member, count: int) -> tuple[list[str], list[str]]:
    """The same member asks `count` questions, each from its own thread (its own connection)."""
    barrier = threading.Barrier(count)
    answered, refused, failed = [], [], []
    lock = threading.Lock()

    def ask(number: int) -> None:
        try:
            barrier.wait()
            asked = services.ask(
                user=member,
                reader=reader_for_user(member),
                text=f"What is E11.9? ({number})",
                now=timezone.now(),
            )
            with lock:
                (answered if asked.exchange is not None else refused).append(asked.answer.headline)
        except Exception as error:  # a thread's failure must fail the test, not vanish
            with lock:
                failed.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed, failed
    return answered, refused


def test_parallel_questions_from_one_member_get_exactly_the_daily_allowance(settings):
    load_demo_codes()
    load_guides()
    settings.METER_RULES = {
        **settings.METER_RULES,
        "casepilot_question": {**settings.METER_RULES["casepilot_question"], "verified": ALLOWANCE},
    }
    member = make_account("coder@example.com", verified=True)

    answered, refused = ask_at_once(member, THREADS)

    assert len(answered) == ALLOWANCE and len(refused) == THREADS - ALLOWANCE
    assert all("Type 2 diabetes mellitus without complications" in headline for headline in answered)
    assert all(f"You have asked your {ALLOWANCE} questions for today." in headline for headline in refused)
    assert Exchange.objects.filter(user=member).count() == ALLOWANCE
    assert (
        sum(Usage.objects.filter(resource="casepilot_question").values_list("used", flat=True)) == ALLOWANCE
    )
