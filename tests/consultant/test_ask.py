"""Asking: the form, codes in any spelling, the guard, the tracking number and the email."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from codeahead.models import OutboundEmail
from consultant import services
from consultant.models import Question, StatusChange
from meter import services as meter
from tests.consultant.conftest import ask
from tests.factories import make_account
from tests.outbox import sent_emails

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
FORM = {
    "question": "Is a routine visit for a patient with controlled type 2 diabetes coded with Z00.00 first?",
    "codes": "e119; 99213",
    "setting": "physician_office",
    "considered": "Sequencing E11.9 first.",
    "consent_to_publish": "on",
}


def test_a_verified_member_asks_and_gets_a_tracking_number_a_page_and_an_email(client, member, settings):
    client.force_login(member)

    response = client.post("/consultant/ask/", FORM)

    question = Question.objects.get()
    year = timezone.localtime().year
    assert question.tracking_number == f"CC-{year}-000001"
    assert response.status_code == 302 and response["Location"] == f"/consultant/CC-{year}-000001/"
    assert sorted(code.code for code in question.codes.all()) == ["99213", "E11.9"]
    assert question.status == "submitted" and question.consent_to_publish
    (change,) = StatusChange.objects.all()
    assert (change.to_status, change.by) == ("submitted", member)

    page = client.get(response["Location"]).content.decode()
    assert f"Your question CC-{year}-000001 is with our consultants." in page
    assert "Sequencing E11.9 first." in page and "Submitted" in page

    (email,) = sent_emails()
    assert email.to == ["member@example.com"]
    assert email.subject == f"CC-{year}-000001: your question is with our consultants"
    assert f"{settings.SITE_URL}/consultant/CC-{year}-000001/" in email.body
    assert "You can ask 2 more questions this month." in email.body
    assert email.alternatives[0][1] == "text/html"


def test_the_form_opens_prefilled_from_a_code_page_or_casepilot(client, member):
    client.force_login(member)

    from_code = client.get("/consultant/ask/?code=icd-10-cm:E11.9").content.decode()
    from_pilot = client.get("/consultant/ask/", {"q": "Does 99213 need modifier 25 here?"}).content.decode()
    nonsense = client.get("/consultant/ask/?code=icd-10-cm:E11%00.9&q=%00")
    no_system = client.get("/consultant/ask/?code=j1100").content.decode()
    wrong_system = client.get("/consultant/ask/?code=cpt:E11.9").content.decode()

    assert 'name="codes" value="E11.9"' in from_code
    assert "Does 99213 need modifier 25 here?</textarea>" in from_pilot
    # A control character in the query is the site-wide guard's 400 page (codeahead.middleware).
    assert nonsense.status_code == 400 and 'name="codes" value' not in nonsense.content.decode()
    assert 'name="codes" value="J1100"' in no_system
    assert 'name="codes" value' not in wrong_system


def test_codes_that_we_do_not_have_are_form_errors(client, member):
    client.force_login(member)

    response = client.post("/consultant/ask/", {**FORM, "codes": "E11.9, ZZZ99, cpt:E11.9, nosuch:99213"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "We have no code ZZZ99." in html
    assert "We have no code cpt:E11.9." in html
    assert "we have no code set called “nosuch”" in html
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Patient John Smith had a follow-up for E11.9", "a patient&#x27;s name"),
        ("DOB 03/14/1962, seen for diabetes", "a date of birth"),
        ("MRN 00482213: which code for the visit?", "a medical record number"),
        ("Call back at (555) 123-4567 about E11.9", "a phone number"),
        ("SSN 123-45-6789 on the claim", "a social security number"),
    ],
)
def test_patient_information_is_refused_saying_what_to_remove_and_nothing_is_stored(
    client, member, text, reason
):
    client.force_login(member)

    response = client.post("/consultant/ask/", {**FORM, "question": text})

    html = response.content.decode()
    assert response.status_code == 400
    assert f"Your question seems to contain {reason}" in html and "Remove it and ask again" in html
    assert not Question.objects.exists() and not OutboundEmail.objects.exists()


def test_patient_information_in_what_was_considered_is_refused_too(client, member):
    client.force_login(member)

    response = client.post("/consultant/ask/", {**FORM, "considered": "Her phone is 555-123-4567"})

    assert response.status_code == 400 and "a phone number" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("question", "x" * 10_000, "Ensure this value has at most 5000 characters"),
        ("question", "E11.9\x00 please", "Null characters are not allowed."),
        ("question", "", "This field is required."),
        ("setting", "moon_base", "Select a valid choice."),
        ("codes", "E11.9," * 12, "Name at most 10 codes."),
    ],
)
def test_malformed_input_is_a_form_error(client, member, field, value, error):
    client.force_login(member)

    response = client.post("/consultant/ask/", {**FORM, field: value})

    assert response.status_code == 400 and error in response.content.decode()
    assert not Question.objects.exists()


def test_html_in_a_question_is_shown_as_text(client, member):
    client.force_login(member)
    client.post("/consultant/ask/", {**FORM, "question": "<script>alert(1)</script> which code?"})

    page = client.get(Question.objects.get().get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt; which code?" in page and "<script>alert" not in page


def test_attachments_are_refused(client, member, tmp_path):
    client.force_login(member)
    upload = tmp_path / "chart.pdf"
    upload.write_bytes(b"%PDF-1.4 chart")

    with upload.open("rb") as handle:
        response = client.post("/consultant/ask/", {**FORM, "chart": handle})

    assert response.status_code == 400 and "Attachments are not accepted" in response.content.decode()
    assert not Question.objects.exists()


def test_every_form_needs_its_csrf_token(member, consultant):
    question = ask(member)
    url = question.get_absolute_url()
    as_member, as_consultant = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    as_member.force_login(member)
    as_consultant.force_login(consultant)

    assert as_member.post("/consultant/ask/", FORM).status_code == 403
    assert as_member.post(f"{url}reply/", {"body": "More"}).status_code == 403
    assert as_member.post(f"{url}close/").status_code == 403
    assert as_consultant.post(f"{url}claim/").status_code == 403
    assert as_consultant.post(f"{url}work/", {"send": "answer", "body": "A"}).status_code == 403
    assert (
        as_consultant.post(f"{url}publish/", {"title": "T", "question": "Q", "answer": "A"}).status_code
        == 403
    )
    assert Question.objects.count() == 1 and not question.entries.exists()
    assert Question.objects.get().status == "submitted"


def test_a_reply_of_10000_characters_or_with_a_nul_is_a_form_error_and_keeps_the_text(client, member):
    question = ask(member)
    client.force_login(member)

    long = client.post(f"{question.get_absolute_url()}reply/", {"body": "y" * 10_000})
    nul = client.post(f"{question.get_absolute_url()}reply/", {"body": "more\x00 detail"})

    assert long.status_code == 400 and "at most 5000 characters" in long.content.decode()
    assert "y" * 10_000 in long.content.decode()  # the text is kept in the form, not lost
    assert nul.status_code == 400 and "Null characters are not allowed." in nul.content.decode()
    assert not question.entries.exists()


def test_an_unverified_account_is_told_to_verify_and_cannot_ask(client, demo_codes):
    client.force_login(make_account("new@example.com", verified=False))

    page = client.get("/consultant/ask/").content.decode()
    response = client.post("/consultant/ask/", FORM)

    assert "Verify your email address to ask a question" in page and 'name="question"' not in page
    assert response.status_code == 200 and not Question.objects.exists()


def test_a_guest_is_sent_to_log_in_first(client, demo_codes):
    response = client.get("/consultant/ask/?code=icd-10-cm:E11.9")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/consultant/ask/%3Fcode%3Dicd-10-cm%3AE11.9"


def test_the_monthly_allowance_refuses_the_fourth_question(client, member):
    client.force_login(member)

    answers = [client.post("/consultant/ask/", FORM) for _ in range(4)]

    assert [a.status_code for a in answers] == [302, 302, 302, 400]
    assert "You have used all your questions this month." in answers[-1].content.decode()
    assert Question.objects.count() == 3


def test_staff_grant_a_member_more_questions(client, member):
    meter.grant(user=member, resource="consultant_question", extra=1)
    client.force_login(member)

    answers = [client.post("/consultant/ask/", FORM) for _ in range(5)]

    assert [a.status_code for a in answers] == [302, 302, 302, 302, 400]


def test_posting_faster_than_the_rate_limit_is_refused(client, member, settings):
    settings.CONSULTANT_POSTS_PER_HOUR = 2
    client.force_login(member)
    question = ask(member)

    replies = [client.post(f"{question.get_absolute_url()}reply/", {"body": f"More {n}"}) for n in range(3)]

    assert [r.status_code for r in replies] == [302, 400, 400]
    assert "You have sent many messages in the last hour." in replies[-1].content.decode()


def test_tracking_numbers_count_up_within_a_year_and_start_again_the_next():
    numbers = [
        services.next_tracking_number(datetime(2026, 12, 31, 12, tzinfo=NEW_YORK)),
        services.next_tracking_number(datetime(2026, 12, 31, 13, tzinfo=NEW_YORK)),
        services.next_tracking_number(datetime(2027, 1, 1, 9, tzinfo=NEW_YORK)),
    ]

    assert numbers == ["CC-2026-000001", "CC-2026-000002", "CC-2027-000001"]


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        (datetime(2026, 12, 2, 10, 30), datetime(2026, 12, 4, 10, 30)),  # Wednesday -> Friday
        (datetime(2026, 12, 4, 16, 0), datetime(2026, 12, 8, 16, 0)),  # Friday -> Tuesday
        (datetime(2026, 12, 5, 22, 0), datetime(2026, 12, 9, 9, 0)),  # Saturday: from Monday 9:00
    ],
)
def test_the_response_target_counts_business_days(asked, due):
    assert services.business_days_after(asked.replace(tzinfo=NEW_YORK), 2) == due.replace(tzinfo=NEW_YORK)
