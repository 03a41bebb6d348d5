"""The whole journey in Chromium: a member asks, a consultant answers from the queue, the member
reads the email the outbox sent and the thread; on the way the consultant asks for more, the
member replies by email (Postmark's inbound webhook, posted to the live server), and the
consultant starts the answer from CasePilot's cited draft. Screenshots at 1280 and 375 px go to
/tmp/shots/consult/."""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.request

import pytest
from django.core.cache import caches

from tests.consultant.conftest import make_consultant
from tests.factories import PASSWORD, make_account
from tests.outbox import sent_emails

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots/consult/{name}-{width}.png"


def log_in(chromium, live_server, email):
    context = chromium.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.goto("/accounts/login/")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url(f"{live_server.url}/")
    return tab


def screenshots(tab, name):
    os.makedirs(os.path.dirname(SHOTS), exist_ok=True)
    for width in (1280, 375):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=SHOTS.format(name=name, width=width), full_page=True)
    tab.set_viewport_size({"width": 1280, "height": 900})


def email_reply(live_server, *, sender: str, to: str, text: str) -> int:
    """The member's reply as Postmark's inbound webhook posts it to anymail's URL."""
    payload = {
        "From": sender,
        "FromFull": {"Email": sender, "Name": "", "MailboxHash": ""},
        "To": to,
        "ToFull": [{"Email": to, "Name": "", "MailboxHash": to.partition("+")[2].partition("@")[0]}],
        "CcFull": [],
        "BccFull": [],
        "OriginalRecipient": to,
        "Subject": "Re: our consultant needs more information",
        "MessageID": "9d8a3d6e-1b8e-4d55-9a0e-2f0c6f1f7a11",
        "Date": "Tue, 1 Dec 2026 09:15:04 +0000",
        "TextBody": text,
        "HtmlBody": "",
        "StrippedTextReply": "",
        "Headers": [
            {"Name": "Return-Path", "Value": f"<{sender}>"},
            {"Name": "Received-SPF", "Value": "pass"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "Message-ID", "Value": "<reply-1@mail.example.com>"},
        ],
        "Attachments": [],
    }
    request = urllib.request.Request(
        f"{live_server.url}/anymail/postmark/inbound/",
        data=json.dumps(payload).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(b"postmark:s3cret").decode(),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def test_a_member_asks_a_consultant_answers_and_the_member_reads_it(
    chromium, live_server, demo_codes_live, settings
):
    settings.SITE_URL = live_server.url  # the address the emails link to
    settings.CONSULTANT_REPLY_ADDRESS = "consult@reply.codeahead.example"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "postmark:s3cret"}
    make_account("member@example.com")
    make_consultant("consultant@example.com")
    member = log_in(chromium, live_server, "member@example.com")

    # From a code page's "Ask an expert" link: the code is filled in.
    member.goto("/icd-10-cm/E11.9/")
    member.get_by_role("link", name="Ask an expert about E11.9").click()
    member.wait_for_url("**/consultant/ask/?code=icd-10-cm%3AE11.9")
    assert member.get_by_label("Codes it concerns").input_value() == "E11.9"
    member.get_by_label("Question").fill(
        "Patient Mary Lopez, DOB 04/12/1958, came for a routine check-up; her diabetes is controlled."
    )
    member.get_by_label("Setting").select_option(label="Physician office")
    member.get_by_role("button", name="Send the question").click()
    refused = member.locator(".field-errors").inner_text()
    assert "a date of birth" in refused and "a patient's name" in refused and "Remove it" in refused
    screenshots(member, "ask-refused")

    member.get_by_label("Question").fill(
        "At a routine check-up of an adult whose type 2 diabetes is controlled, which code comes first?"
    )
    member.get_by_label("What you already considered").fill("E11.9 first, or Z00.00 first?")
    member.get_by_label("An anonymised version of the answer may be published").check()
    screenshots(member, "ask")
    member.get_by_role("button", name="Send the question").click()
    member.wait_for_url(re.compile(r".*/consultant/CC-\d{4}-\d{6}/$"))
    tracking = re.search(r"CC-\d{4}-\d{6}", member.url).group(0)
    assert f"Your question {tracking} is with our consultants." in member.locator(".messages").inner_text()
    assert "Submitted" in member.locator(".question-header").inner_text()

    (confirmation,) = sent_emails()
    assert confirmation.subject == f"{tracking}: your question is with our consultants"

    consultant = log_in(chromium, live_server, "consultant@example.com")
    consultant.goto("/consultant/queue/")
    screenshots(consultant, "queue")
    consultant.get_by_role("link", name=tracking).click()
    consultant.get_by_role("button", name="Claim this question").click()
    assert "Claimed by a consultant" in consultant.locator(".question-header").inner_text()

    # The consultant asks for more; the member answers by replying to the email.
    consultant.get_by_label("Message").fill("Was the diabetes the reason for the visit?")
    consultant.get_by_role("button", name="Ask for more information").click()
    assert "Needs information" in consultant.locator(".question-header").inner_text()
    asked = next(
        m for m in sent_emails() if m.subject == f"{tracking}: our consultant needs more information"
    )
    (reply_to,) = asked.reply_to
    assert reply_to.startswith(f"consult+{tracking}.") and "Reply to this email" in asked.body
    quoted = f"\n\nOn Tue, Dec 1, 2026, CodeAhead <no-reply@codeahead.example> wrote:\n> {asked.body[:60]}"
    reply = "No: a routine yearly check-up. The diabetes is controlled and was not discussed."
    assert email_reply(live_server, sender="member@example.com", to=reply_to, text=reply + quoted) == 200
    consultant.reload()
    replied = consultant.locator(".entry-member_reply")
    assert "Member replied by email" in replied.inner_text() and reply in replied.inner_text()
    assert "> " not in replied.inner_text()  # the quoted email is cut off
    assert "Member replied" in consultant.locator(".question-header").inner_text()

    # CasePilot's cited draft beside the answer box: from our data, its sources as links.
    draft = consultant.locator("aside.draft")
    assert "CasePilot's draft, from our data" in draft.inner_text()
    assert "nothing is sent until you press send" in draft.inner_text()
    source = draft.get_by_role("link", name="ICD-10-CM E11.9").first
    assert source.get_attribute("href") == "/icd-10-cm/E11.9/"
    screenshots(consultant, "draft")
    box = consultant.get_by_label("Message")
    assert box.input_value() == ""
    draft.get_by_role("link", name="Put the draft in the answer box").click()
    drafted = box.input_value()
    assert drafted.startswith("ICD-10-CM E11.9") and f"{live_server.url}/icd-10-cm/E11.9/" in drafted
    assert consultant.url.endswith(tracking + "/")  # filled in place, nothing sent
    box.press("Control+Home")
    box.type(
        "Sequence Z00.00 first: the encounter is for the routine examination. Add E11.9 for the diabetes.\n\n"
    )
    screenshots(consultant, "draft-in-box")
    consultant.get_by_role("button", name="Send the answer").click()
    assert "The answer is sent to the member." in consultant.locator(".messages").inner_text()

    answered = next(m for m in sent_emails() if m.subject == f"{tracking}: your question is answered")
    assert answered.to == ["member@example.com"]
    assert "Sequence Z00.00 first" in answered.body
    assert f"{live_server.url}/icd-10-cm/E11.9/" in answered.body  # the draft's source, kept
    link = re.search(rf"{live_server.url}/consultant/{tracking}/", answered.body).group(0)
    member.goto(link)
    thread = member.locator(".thread").inner_text()
    assert "which code comes first?" in thread and "Sequence Z00.00 first" in thread
    assert "a routine yearly check-up" in thread  # the reply by email, in the member's thread too
    assert "CasePilot's draft" not in member.content()
    assert "Answered" in member.locator(".question-header").inner_text()
    screenshots(member, "thread")

    member.goto("/consultant/")
    assert tracking in member.locator(".question-list").inner_text()


def test_a_consultant_publishes_an_answer_and_a_guest_finds_it_in_the_knowledge_base(
    chromium, live_server, demo_codes_live, page
):
    from consultant import services
    from lookup.models import Code
    from tests.consultant.conftest import ask

    member = make_account("member@example.com")
    question = ask(member, codes=list(Code.objects.filter(key__in=["E119", "Z0000"])))
    expert = make_consultant("consultant@example.com")
    services.claim(question=question, consultant=expert)
    services.answer(
        question=question,
        consultant=expert,
        body="Sequence Z00.00 first: the visit is for the examination. Add E11.9 for the diabetes.",
    )
    consultant = log_in(chromium, live_server, "consultant@example.com")

    consultant.goto(question.get_absolute_url())
    consultant.get_by_role("link", name="Publish in the knowledge base").click()
    assert "Sequence Z00.00 first" in consultant.get_by_label("Answer, rewritten").input_value()
    consultant.get_by_label("Title").fill("Annual check-up of an adult with controlled type 2 diabetes")
    consultant.get_by_label("Question, rewritten").fill(
        "At an annual check-up of an adult whose type 2 diabetes is controlled, which code comes first?"
    )
    screenshots(consultant, "publish")
    consultant.get_by_role("button", name="Publish").click()
    consultant.wait_for_url("**/consultant/kb/annual-check-up-of-an-adult-with-controlled-type-2-diabetes/")

    page.goto("/consultant/kb/")
    page.get_by_label("Search the answers").fill("e11.9")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_url("**/consultant/kb/?q=e11.9")
    assert page.locator("#header-q").input_value() == ""  # the site's code search is not this one
    screenshots(page, "kb")
    page.get_by_role("link", name="Annual check-up of an adult with controlled type 2 diabetes").click()
    article = page.locator(".kb-article").inner_text()
    assert "which code comes first?" in article and "Sequence Z00.00 first" in article
    # The code pages it names link to it (once their one-minute cache has passed).
    caches["local"].clear()
    page.get_by_role("link", name="Z00.00").click()
    page.wait_for_url("**/icd-10-cm/Z00.00/")
    section = page.locator("#ask-an-expert")
    assert "Ask an expert about Z00.00" in section.inner_text()
    screenshots(page, "code-section")
    section.get_by_role("link", name="Annual check-up of an adult with controlled type 2 diabetes").click()
    page.wait_for_url("**/consultant/kb/annual-check-up-of-an-adult-with-controlled-type-2-diabetes/")
    assert "member@example.com" not in page.content()
    screenshots(page, "article")
