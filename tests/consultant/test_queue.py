"""Answering: the consultants' queue, claiming, asking for information, answering, closing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultant.models import Question
from tests.consultant.conftest import ask, make_consultant
from tests.factories import make_account
from tests.outbox import sent_emails

pytestmark = pytest.mark.django_db


def test_the_whole_workflow_records_each_status_change_and_emails_the_member(client, member, consultant):
    question = ask(member)
    url = question.get_absolute_url()
    consultant_client = client
    consultant_client.force_login(consultant)

    consultant_client.post(f"{url}claim/")
    consultant_client.post(
        f"{url}work/", {"send": "request", "body": "Was the diabetes the reason for the visit?"}
    )
    client.force_login(member)
    client.post(f"{url}reply/", {"body": "No, it was a routine check-up; diabetes is controlled."})
    client.force_login(consultant)
    answered = client.post(f"{url}work/", {"send": "answer", "body": "Sequence Z00.00 first, then E11.9."})
    client.force_login(member)
    client.post(f"{url}close/")

    question.refresh_from_db()
    assert answered.status_code == 302 and question.status == "closed"
    assert question.consultant == consultant and question.answered_at is not None
    history = [(c.from_status, c.to_status, c.by.email) for c in question.status_changes.all()]
    assert history == [
        ("", "submitted", "member@example.com"),
        ("submitted", "claimed", "consultant@example.com"),
        ("claimed", "needs_information", "consultant@example.com"),
        ("needs_information", "member_replied", "member@example.com"),
        ("member_replied", "answered", "consultant@example.com"),
        ("answered", "closed", "member@example.com"),
    ]
    emails = {(m.to[0], m.subject) for m in sent_emails()}
    number = question.tracking_number
    assert emails == {
        ("member@example.com", f"{number}: your question is with our consultants"),
        ("member@example.com", f"{number}: our consultant needs more information"),
        ("consultant@example.com", f"{number}: the member replied"),
        ("member@example.com", f"{number}: your question is answered"),
    }
    answer_email = next(m for m in sent_emails() if m.subject.endswith("answered"))
    assert "Sequence Z00.00 first, then E11.9." in answer_email.body
    page = client.get(url).content.decode()
    for text in ["Was the diabetes the reason", "routine check-up", "Sequence Z00.00 first", "Closed"]:
        assert text in page


def test_a_change_the_status_does_not_allow_is_refused_with_the_reason(client, member, consultant):
    question = ask(member)
    client.force_login(consultant)

    response = client.post(
        f"{question.get_absolute_url()}work/", {"send": "answer", "body": "Too early"}, follow=True
    )

    assert "This question is submitted: it cannot be answered now." in response.content.decode()
    assert Question.objects.get().status == "submitted"


def test_a_consultants_answer_with_patient_information_is_refused(client, member, consultant):
    question = ask(member)
    client.force_login(consultant)
    client.post(f"{question.get_absolute_url()}claim/")

    response = client.post(
        f"{question.get_absolute_url()}work/", {"send": "answer", "body": "Mrs. Jones should be coded E11.9"}
    )

    assert response.status_code == 400 and "a patient&#x27;s name" in response.content.decode()
    assert Question.objects.get().status == "claimed"


def test_the_queue_filters_by_status_and_age_and_overdue_questions_stand_out(client, member, consultant):
    now = timezone.now()
    old = ask(member, "An old question about E11.9 sequencing?", now=now - timedelta(days=6))
    fresh = ask(member, "A fresh question about 99213 and modifier 25?")
    answered = ask(make_account("other@example.com"), "An answered question about J1100?")
    client.force_login(consultant)
    client.post(f"{answered.get_absolute_url()}claim/")
    client.post(f"{answered.get_absolute_url()}work/", {"send": "answer", "body": "Yes."})

    waiting = client.get("/consultant/queue/").content.decode()
    overdue = client.get("/consultant/queue/?age=overdue").content.decode()
    done = client.get("/consultant/queue/?status=answered").content.decode()
    bad = client.get("/consultant/queue/?status=bogus&age=forever")

    assert old.tracking_number in waiting and fresh.tracking_number in waiting
    assert answered.tracking_number not in waiting
    assert waiting.index(old.tracking_number) < waiting.index(fresh.tracking_number)  # oldest due first
    assert waiting.count('<tr class="overdue">') == 1 and "Overdue" in waiting
    assert "Target: an answer within 2 business days" in waiting
    assert old.tracking_number in overdue and fresh.tracking_number not in overdue
    assert answered.tracking_number in done and old.tracking_number not in done
    assert bad.status_code == 200 and old.tracking_number in bad.content.decode()


def test_a_second_consultant_may_take_over_a_claimed_question(client, member, consultant):
    question = ask(member)
    second = make_consultant("second@example.com")
    client.force_login(consultant)
    client.post(f"{question.get_absolute_url()}claim/")
    client.force_login(second)

    client.post(f"{question.get_absolute_url()}claim/")

    assert Question.objects.get().consultant == second


def test_the_queue_and_a_thread_take_a_few_queries_however_many_questions(
    client, member, consultant, django_assert_max_num_queries
):
    questions = [ask(member, f"Question {n} about E11.9?", consent_to_publish=False) for n in range(3)]
    questions += [ask(make_account(f"m{n}@example.com")) for n in range(12)]
    client.force_login(consultant)

    with django_assert_max_num_queries(8):
        page = client.get("/consultant/queue/").content.decode()
    with django_assert_max_num_queries(12):
        thread = client.get(questions[0].get_absolute_url())

    assert all(q.tracking_number in page for q in questions) and thread.status_code == 200


def test_the_admin_lists_questions_with_their_thread_and_history(admin_client, member):
    question = ask(member)

    listing = admin_client.get("/admin/consultant/question/").content.decode()
    change = admin_client.get(f"/admin/consultant/question/{question.pk}/change/").content.decode()

    assert question.tracking_number in listing
    assert "Status changes" in change and "Submitted" in change
