"""The posting and saved-search limits hold when requests arrive at once (real PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jobs import actions, alerts
from jobs.models import Job, SavedSearch
from tests.factories import make_account
from tests.jobs.conftest import JOB_DEFAULTS, make_employer


def run_at_once(count: int, work) -> list:
    barrier = threading.Barrier(count)
    outcomes: list = []

    def worker(number: int) -> None:
        try:
            barrier.wait()
            outcomes.append(work(number))
        except Exception as error:  # noqa: BLE001 - the outcome is what the test reads
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_posts_at_once_cannot_pass_the_account_limit(settings):
    settings.JOBS_POSTS_PER_DAY_PER_ACCOUNT = 3
    employer = make_employer()
    outcomes = run_at_once(
        6, lambda n: actions.post_job(job=Job(**JOB_DEFAULTS), employer=employer, client=f"address-{n}")
    )
    assert sum(isinstance(outcome, Job) for outcome in outcomes) == 3
    assert sum(isinstance(outcome, actions.RateLimited) for outcome in outcomes) == 3
    assert Job.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_posts_at_once_cannot_pass_the_address_limit(settings):
    settings.JOBS_POSTS_PER_DAY_PER_ADDRESS = 2
    employers = [make_employer(f"hr{n}@clinic{n}.example") for n in range(5)]
    outcomes = run_at_once(
        5, lambda n: actions.post_job(job=Job(**JOB_DEFAULTS), employer=employers[n], client="one-address")
    )
    assert sum(isinstance(outcome, Job) for outcome in outcomes) == 2
    assert Job.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_saves_at_once_cannot_pass_ten(settings):
    settings.JOBS_SAVED_SEARCHES_MAX = 10
    user = make_account("coder@example.com")
    outcomes = run_at_once(
        14,
        lambda n: alerts.save_search(user=user, name=f"Search {n}", query=f"q=coder{n}", frequency="daily"),
    )
    assert sum(isinstance(outcome, alerts.TooManySavedSearches) for outcome in outcomes) == 4
    assert SavedSearch.objects.filter(user=user).count() == 10
