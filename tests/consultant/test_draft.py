"""CasePilot's cited draft on a consultant's answering page: from our data, with its sources as
links, put in the answer box only when asked, never sent by itself, never licensed text."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from consultant import services
from consultant.models import Entry
from lookup.models import Code
from tests.consultant.conftest import ask
from tests.outbox import sent_emails

pytestmark = pytest.mark.django_db


def answer_box(page: str) -> str:
    return re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)


def test_the_consultant_sees_casepilots_draft_beside_an_empty_answer_box(client, member, consultant):
    question = ask(member, "Can E11.9 and Z00.00 be coded together?")
    services.claim(question=question, consultant=consultant)
    client.force_login(consultant)

    page = client.get(question.get_absolute_url()).content.decode()

    draft = page[page.index('<aside class="draft"') : page.index("</aside>")]
    assert "CasePilot's draft, from our data" in draft
    assert "not by a consultant" in draft and "nothing is sent until you press send" in draft
    # CasePilot's pair check, from the codes' notes, each fact citing its code's page.
    assert "No note in our data stops ICD-10-CM E11.9 and ICD-10-CM Z00.00" in draft
    assert 'href="/icd-10-cm/E11.9/"' in draft and 'href="/icd-10-cm/Z00.00/"' in draft
    assert answer_box(page).strip() == ""  # a starting point, not the consultant's answer


def test_draft_1_puts_the_draft_with_full_links_in_the_box_and_sends_nothing(
    client, member, consultant, settings
):
    settings.SITE_URL = "https://codeahead.example"
    question = ask(member, "Can E11.9 and Z00.00 be coded together?")
    services.claim(question=question, consultant=consultant)
    client.force_login(consultant)
    sent_emails()  # the confirmation
    mail.outbox.clear()

    page = client.get(f"{question.get_absolute_url()}?draft=1").content.decode()

    box = answer_box(page)
    assert "No note in our data stops" in box
    assert "[1] ICD-10-CM E11.9: https://codeahead.example/icd-10-cm/E11.9/" in box
    assert "[2] ICD-10-CM Z00.00: https://codeahead.example/icd-10-cm/Z00.00/" in box
    assert not Entry.objects.filter(question=question).exists()
    assert sent_emails() == []

    # The consultant edits it and presses send: that, and only that, is the answer.
    edited = "Both may be coded; sequence Z00.00 first.\n\nSources:" + box.split("Sources:")[1]
    client.post(f"{question.get_absolute_url()}work/", {"send": "answer", "body": edited})
    (answer,) = Entry.objects.filter(question=question, kind="answer")
    assert (
        answer.body.startswith("Both may be coded") and "codeahead.example/icd-10-cm/Z00.00/" in answer.body
    )


def test_a_question_casepilot_cannot_read_gets_a_draft_about_its_codes(client, member, consultant):
    question = ask(member, "How should our office think about this odd case we saw last week?")
    services.claim(question=question, consultant=consultant)
    client.force_login(consultant)

    page = client.get(question.get_absolute_url()).content.decode()

    assert "Asked: What is ICD-10-CM E11.9?" in page
    assert 'href="/icd-10-cm/E11.9/"' in page


def test_no_draft_when_neither_the_question_nor_its_codes_give_a_fact(client, member, consultant):
    question = ask(member, "Who won the football match yesterday?", codes=[])
    services.claim(question=question, consultant=consultant)
    client.force_login(consultant)

    page = client.get(question.get_absolute_url()).content.decode()

    assert "CasePilot's draft" not in page and 'name="body"' in page


def test_no_licensed_text_in_the_draft(client, member, consultant, settings):
    settings.TEXT_LICENCES = set()
    Code.objects.filter(system__slug="cpt", key="99214").update(
        official_description="Office visit secret descriptor words"
    )
    question = ask(member, "What is CPT code 99214 and how much does Medicare pay for it?", codes=[])
    services.claim(question=question, consultant=consultant)
    client.force_login(consultant)

    for url in (question.get_absolute_url(), f"{question.get_absolute_url()}?draft=1"):
        page = client.get(url).content.decode()
        assert "CasePilot's draft" in page
        assert "secret descriptor" not in page


def test_members_and_unclaimed_questions_get_no_draft(client, member, consultant):
    question = ask(member, "Can E11.9 and Z00.00 be coded together?")
    client.force_login(consultant)
    assert "CasePilot's draft" not in client.get(question.get_absolute_url()).content.decode()

    services.claim(question=question, consultant=consultant)
    client.force_login(member)
    page = client.get(f"{question.get_absolute_url()}?draft=1").content.decode()
    assert "CasePilot's draft" not in page and "No note in our data" not in page
