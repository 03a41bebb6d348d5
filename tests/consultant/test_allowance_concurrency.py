"""Parallel submissions: the monthly allowance holds and tracking numbers stay unique."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from consultant import services
from consultant.models import Question
from tests.conftest import load_demo_codes
from tests.factories import make_account

pytestmark = pytest.mark.django_db(transaction=True)


def submit_at_once(members: list) -> tuple[list[str], list[str]]:
    """Each member submits a question from its own thread (its own database connection)."""
    barrier = threading.Barrier(len(members))
    asked, refused = [], []

    def submit(member, number):
        try:
            barrier.wait()
            question = services.ask(
                member=member,
                question=f"Question {number}: which code for a routine diabetes check-up?",
                codes=[],
                setting="physician_office",
                considered="",
                consent_to_publish=False,
            )
            asked.append(question.tracking_number)
        except services.Refused as error:
            refused.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(m, n)) for n, m in enumerate(members)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return asked, refused


def test_eight_parallel_questions_from_one_member_get_exactly_the_allowance(settings):
    load_demo_codes()
    settings.METER_RULES = {
        **settings.METER_RULES,
        "consultant_question": {"guest": 0, "unverified": 0, "verified": 3},
    }
    member = make_account("member@example.com")

    asked, refused = submit_at_once([member] * 8)

    assert len(asked) == 3 and len(refused) == 5
    assert all("You have used all your questions this month." in reason for reason in refused)
    assert Question.objects.filter(member=member).count() == 3


def test_parallel_questions_from_many_members_get_distinct_consecutive_numbers():
    load_demo_codes()
    members = [make_account(f"member{n}@example.com") for n in range(8)]

    asked, refused = submit_at_once(members)

    assert refused == []
    sequence = sorted(int(number.rsplit("-", 1)[1]) for number in asked)
    assert sequence == list(range(1, 9))
