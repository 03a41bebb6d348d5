"""Posts the patient-information guard keeps refusing are slowed: after a few refusals in a
window, the account's and the address's posts are paused with a clear message (a 429)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from consultant.models import Entry, Question
from lookup import ratelimit
from lookup.ratelimit import rate_consume, rate_peek
from tests.consultant.conftest import ask
from tests.factories import make_account

pytestmark = pytest.mark.django_db

WITH_PATIENT = {
    "question": "Patient John Smith, DOB 02/03/1961, MRN 88231-A: which code for his diabetes check?",
    "setting": "physician_office",
}
CLEAN = {
    "question": "Which code for a routine check-up of an adult with controlled type 2 diabetes?",
    "setting": "physician_office",
}


@pytest.fixture(autouse=True)
def three_refusals_per_quarter_hour(settings, monkeypatch):
    settings.CONSULTANT_GUARD_REFUSAL_LIMITS = [(3, 900)]
    # The windows are whole quarter hours: each test starts just after one begins, so its few
    # posts never straddle two (which would split the count) and the pause reads in minutes.
    now = timezone.now()
    start = now - timedelta(seconds=now.timestamp() % 900) + timedelta(seconds=5)
    monkeypatch.setattr(ratelimit, "timezone", SimpleNamespace(now=lambda: start))


def post(client, data, address="203.0.113.5"):
    return client.post("/consultant/ask/", data, REMOTE_ADDR=address)


def test_repeated_patient_information_pauses_the_account_with_a_clear_message(client, member):
    client.force_login(member)

    first = post(client, WITH_PATIENT)
    assert first.status_code == 400
    assert "a date of birth" in first.content.decode() and "pausing" not in first.content.decode()
    assert post(client, WITH_PATIENT).status_code == 400

    third = post(client, WITH_PATIENT)  # the third refusal in the window: paused from now on
    assert third.status_code == 429
    assert "is pausing your posts for" in third.content.decode()

    # Paused: even a clean question waits, and nothing is stored or counted.
    clean = post(client, CLEAN)
    assert clean.status_code == 429
    page = clean.content.decode()
    assert "CaseConsultant is pausing your posts for" in page and "minutes" in page
    assert "without anything that identifies a patient" in page
    assert not Question.objects.exists()


def test_the_pause_follows_the_account_to_another_address_and_the_address_to_another_account(member):
    own, other = Client(), Client()
    own.force_login(member)
    other.force_login(make_account("other@example.com"))
    for _ in range(3):
        post(own, WITH_PATIENT, address="203.0.113.5")

    assert post(own, CLEAN, address="198.51.100.20").status_code == 429  # the account
    assert post(other, CLEAN, address="203.0.113.5").status_code == 429  # the address
    assert post(other, CLEAN, address="198.51.100.21").status_code == 302  # neither: asked
    assert Question.objects.get().member.email == "other@example.com"


def test_clean_questions_and_other_refusals_do_not_count(client, member):
    client.force_login(member)
    for _ in range(4):
        assert post(client, {"question": "", "setting": "physician_office"}).status_code == 400
    assert post(client, {**CLEAN, "setting": "nowhere"}).status_code == 400
    assert post(client, CLEAN).status_code == 302


def test_replies_on_the_page_count_too(client, member):
    question = ask(member)
    client.force_login(member)
    url = f"{question.get_absolute_url()}reply/"
    statuses = [
        client.post(
            url, {"body": "It was Mrs. Lopez, phone 555-201-3344."}, REMOTE_ADDR="203.0.113.5"
        ).status_code
        for _ in range(3)
    ]

    assert statuses == [400, 400, 429]
    paused = client.post(url, {"body": "It was a routine visit."}, REMOTE_ADDR="203.0.113.5")
    assert paused.status_code == 429 and "is pausing your posts" in paused.content.decode()
    assert not Entry.objects.exists()


def test_no_limit_when_the_setting_turns_it_off(client, member, settings):
    settings.CONSULTANT_GUARD_REFUSAL_LIMITS = []
    client.force_login(member)
    assert [post(client, WITH_PATIENT).status_code for _ in range(5)] == [400] * 5


def test_the_pause_ends_with_its_window_and_a_short_limit_keeps_a_long_ones_count():
    start = datetime(2026, 12, 1, 10, 0, 5, tzinfo=UTC)
    long, short = [(2, 900)], [(100, 60)]
    for _ in range(2):
        rate_consume(keys=["pii:user:1"], limits=long, now=start)
    paused = rate_peek(keys=["pii:user:1"], limits=long, now=start)
    assert not paused.allowed and paused.retry_after == 895

    # A one-minute limit's first hit, long after, forgets old one-minute windows only.
    rate_consume(keys=["search-client"], limits=short, now=start + timedelta(minutes=10))
    assert not rate_peek(keys=["pii:user:1"], limits=long, now=start + timedelta(minutes=10)).allowed
    assert rate_peek(keys=["pii:user:1"], limits=long, now=start + timedelta(minutes=15)).allowed
