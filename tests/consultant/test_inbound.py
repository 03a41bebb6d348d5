"""Replies by email: the member answers a consultant's request by replying to its email.

Each test posts Postmark's inbound webhook JSON (the fields Postmark documents and anymail's
PostmarkInboundWebhookView reads) to anymail's URL, with the webhook's basic auth: the real
protocol a provider speaks, end to end through anymail's `inbound` signal.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid

import pytest

from consultant import services
from consultant.models import Entry, Question
from tests.consultant.conftest import ask
from tests.outbox import sent_emails

pytestmark = pytest.mark.django_db

URL = "/anymail/postmark/inbound/"
AUTH = "postmark:webhook-s3cret"
QUOTED = (
    "\n\nOn Tue, Dec 1, 2026 at 9:02 AM CodeAhead <no-reply@codeahead.example> wrote:\n"
    "> Our consultant needs more information to answer your question.\n"
    "> Was the diabetes the reason for the visit?\n"
)


@pytest.fixture(autouse=True)
def inbound_configured(settings):
    settings.CONSULTANT_REPLY_ADDRESS = "consult@reply.codeahead.example"
    settings.ANYMAIL = {"WEBHOOK_SECRET": AUTH}


@pytest.fixture
def waiting(member, consultant) -> Question:
    """A question whose consultant asked the member for more information."""
    question = ask(member)
    services.claim(question=question, consultant=consultant)
    return services.request_information(
        question=question, consultant=consultant, body="Was the diabetes the reason for the visit?"
    )


def postmark_inbound(*, sender: str, to: str, text: str, stripped: str = "", headers=(), message_id=None):
    """One email as Postmark's inbound webhook posts it (JSON, "Include raw email" off)."""
    local, _, domain = to.partition("@")
    mailbox_hash = local.partition("+")[2]
    return {
        "FromName": "A Member",
        "MessageStream": "inbound",
        "From": sender,
        "FromFull": {"Email": sender, "Name": "A Member", "MailboxHash": ""},
        "To": to,
        "ToFull": [{"Email": to, "Name": "", "MailboxHash": mailbox_hash}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": to,
        "Subject": "Re: our consultant needs more information",
        "MessageID": str(uuid.uuid4()),
        "ReplyTo": "",
        "MailboxHash": mailbox_hash,
        "Date": "Tue, 1 Dec 2026 09:15:04 +0000",
        "TextBody": text,
        "HtmlBody": "",
        "StrippedTextReply": stripped,
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": f"<{sender}>"},
            {"Name": "Received-SPF", "Value": f"pass (example.com: domain of {sender} designates 192.0.2.1)"},
            {"Name": "X-Spam-Checker-Version", "Value": "SpamAssassin 3.4.0 (2014-02-07)"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "X-Spam-Score", "Value": "-0.1"},
            {"Name": "MIME-Version", "Value": "1.0"},
            {"Name": "Message-ID", "Value": message_id or f"<{uuid.uuid4()}@mail.example.com>"},
            *headers,
        ],
        "Attachments": [],
    }


def post(client, payload, *, auth: str = AUTH, body: str | None = None):
    credentials = base64.b64encode(auth.encode()).decode()
    return client.post(
        URL,
        data=body if body is not None else json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )


def replies(question: Question) -> list[str]:
    return list(question.entries.filter(kind=Entry.Kind.MEMBER_REPLY).values_list("body", flat=True))


def test_the_request_for_information_email_carries_the_question_in_its_reply_to(waiting):
    email = next(m for m in sent_emails() if m.subject.endswith("needs more information"))

    (reply_to,) = email.reply_to
    assert reply_to == f"consult+{waiting.tracking_number}.{waiting.reply_token()}@reply.codeahead.example"
    assert len(reply_to.partition("@")[0]) <= 64  # what an address's local part may hold
    assert "Reply to this email, above the quoted text, or on the question's page" in email.body


def test_without_inbound_the_email_has_no_reply_to_and_says_to_reply_on_the_page(
    settings, member, consultant
):
    settings.CONSULTANT_REPLY_ADDRESS = ""
    question = ask(member)
    services.claim(question=question, consultant=consultant)
    services.request_information(question=question, consultant=consultant, body="Which visit was it?")

    email = next(m for m in sent_emails() if m.subject.endswith("needs more information"))

    assert email.reply_to == []
    assert "Reply on the question's page" in email.body and "Reply to this email" not in email.body


def test_a_reply_by_email_joins_the_thread_without_the_quoted_text(client, waiting):
    sent_emails()
    payload = postmark_inbound(
        sender="Member@Example.com",  # addresses are compared without regard to case
        to=waiting.reply_address(),
        text="No, it was a routine check-up; the diabetes is controlled." + QUOTED,
    )

    response = post(client, payload)

    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == "member_replied"
    assert replies(waiting) == ["No, it was a routine check-up; the diabetes is controlled."]
    change = waiting.status_changes.last()
    assert (change.from_status, change.to_status, change.by) == (
        "needs_information",
        "member_replied",
        waiting.member,
    )
    (to_consultant,) = [m for m in sent_emails() if m.subject.endswith("the member replied")]
    assert to_consultant.to == ["consultant@example.com"] and "routine check-up" in to_consultant.body
    client.force_login(waiting.member)
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert "Member replied by email" in page and "Was the diabetes the reason for the visit?" in page


def test_postmarks_stripped_reply_is_used_and_a_lower_cased_address_still_works(client, waiting):
    payload = postmark_inbound(
        sender="member@example.com",
        to=waiting.reply_address().lower(),
        text="It was a routine check-up." + QUOTED,
        stripped="It was a routine check-up.",
    )

    assert post(client, payload).status_code == 200
    assert replies(waiting) == ["It was a routine check-up."]


def test_the_same_email_posted_twice_is_added_once(client, waiting):
    payload = postmark_inbound(sender="member@example.com", to=waiting.reply_address(), text="Routine visit.")

    assert post(client, payload).status_code == 200
    assert post(client, payload).status_code == 200  # the provider's retry

    assert replies(waiting) == ["Routine visit."]


def test_without_a_message_id_the_providers_id_still_adds_it_once(client, waiting):
    payload = postmark_inbound(sender="member@example.com", to=waiting.reply_address(), text="Routine visit.")
    payload["Headers"] = [h for h in payload["Headers"] if h["Name"] != "Message-ID"]

    assert post(client, payload).status_code == 200
    assert post(client, payload).status_code == 200

    assert replies(waiting) == ["Routine visit."]


def other_question_address(question):
    other = ask(question.member, "Which code for essential hypertension at a follow-up visit?")
    local, _, domain = question.reply_address().partition("@")
    return f"{local.rpartition('.')[0]}.{other.reply_token()}@{domain}"


@pytest.mark.parametrize(
    ("case", "make", "logged"),
    [
        (
            "a forged token",
            lambda q: (q.member.email, q.reply_address().replace(q.reply_token(), "a" * 16), ()),
            "forged token",
        ),
        (
            "another question's token",
            lambda q: (q.member.email, other_question_address(q), ()),
            "forged token",
        ),
        (
            "an unknown question",
            lambda q: (q.member.email, "consult+CC-2026-999999.abcdefghijklmnop@reply.codeahead.example", ()),
            "no question CC-2026-999999",
        ),
        (
            "someone else's address",
            lambda q: ("intruder@example.net", q.reply_address(), ()),
            "someone other than its member",
        ),
        (
            "a forged sender",
            lambda q: (
                q.member.email,
                q.reply_address(),
                ({"Name": "Received-SPF", "Value": "fail (example.com: 203.0.113.9 is not allowed)"},),
            ),
            "SPF fail",
        ),
        (
            "another domain",
            lambda q: (q.member.email, q.reply_address().replace("reply.codeahead", "elsewhere"), ()),
            "not addressed to a question",
        ),
    ],
)
def test_anything_but_the_members_own_reply_is_ignored_and_logged(
    client, waiting, caplog, case, make, logged
):
    sender, to, headers = make(waiting)
    payload = postmark_inbound(sender=sender, to=to, text="Add this to the question, please.")
    if headers:  # the provider's own SPF verdict comes before anything the sender wrote
        payload["Headers"][1] = headers[0]

    with caplog.at_level(logging.WARNING, logger="consultant.inbound"):
        response = post(client, payload)

    assert response.status_code == 200, case  # taken, so the provider does not post it again
    assert not Entry.objects.filter(kind=Entry.Kind.MEMBER_REPLY).exists()
    waiting.refresh_from_db()
    assert waiting.status == "needs_information"
    assert logged in caplog.text


def test_nothing_is_taken_when_inbound_replies_are_not_configured(client, waiting, settings, caplog):
    address = waiting.reply_address()
    settings.CONSULTANT_REPLY_ADDRESS = ""
    payload = postmark_inbound(sender="member@example.com", to=address, text="Routine visit.")

    with caplog.at_level(logging.WARNING, logger="consultant.inbound"):
        assert post(client, payload).status_code == 200

    assert replies(waiting) == [] and "not configured" in caplog.text


def test_a_reply_with_patient_information_is_refused_and_the_member_told_why(client, waiting):
    sent_emails()
    payload = postmark_inbound(
        sender="member@example.com",
        to=waiting.reply_address(),
        text="It was Mrs. Garcia, DOB 03/04/1950, at her annual visit." + QUOTED,
    )

    assert post(client, payload).status_code == 200

    assert replies(waiting) == []
    (told,) = [m for m in sent_emails() if "was not added" in m.subject]
    assert told.to == ["member@example.com"]
    assert "a date of birth" in told.body and "Garcia" not in told.body


def test_a_reply_to_an_answered_question_is_refused_by_email(client, waiting, consultant):
    services.answer(question=waiting, consultant=consultant, body="Sequence Z00.00 first.")
    payload = postmark_inbound(sender="member@example.com", to=waiting.reply_address(), text="Thanks!")

    assert post(client, payload).status_code == 200

    assert replies(waiting) == []
    assert any("was not added" in m.subject and "answered" in m.body for m in sent_emails())


def test_an_empty_reply_adds_nothing(client, waiting):
    payload = postmark_inbound(sender="member@example.com", to=waiting.reply_address(), text=QUOTED)
    assert post(client, payload).status_code == 200
    assert replies(waiting) == []


def test_wrong_webhook_credentials_are_refused(client, waiting):
    payload = postmark_inbound(sender="member@example.com", to=waiting.reply_address(), text="Routine visit.")
    assert post(client, payload, auth="postmark:guess").status_code == 400
    assert replies(waiting) == []


@pytest.mark.parametrize(
    "body", ["not json", "[1, 2]", '{"FromFull": 5, "ToFull": "x"}', '{"Headers": [{}]}']
)
def test_a_malformed_post_is_a_400_never_a_500(client, waiting, body):
    assert post(client, None, body=body).status_code == 400
    assert replies(waiting) == []
