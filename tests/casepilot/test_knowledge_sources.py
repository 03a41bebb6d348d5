"""Knowledge sources other apps register with CasePilot (casepilot/sources.py), and the consultant's
public knowledge base found through it, end to end: a consultant publishes, a member asks."""

from __future__ import annotations

import pytest

from casepilot import sources
from casepilot.answer import Kind, answer_question
from casepilot.facts import Fact, Source
from consultant import services
from consultant.kb import casepilot_facts
from tests.consultant.conftest import ask, make_consultant
from tests.factories import make_account

pytestmark = pytest.mark.usefixtures("casepilot_data")

TITLE = "Annual wellness check-up for a patient with controlled diabetes: which diagnosis first?"


def publish(client) -> str:
    """A member asks CaseConsultant, a consultant answers and publishes it; the article's address."""
    asker = make_account("asker@example.com", verified=True)
    consultant = make_consultant()
    question = ask(asker)
    services.claim(question=question, consultant=consultant)
    services.answer(question=question, consultant=consultant, body="Sequence Z00.00 first, then E11.9.")
    client.force_login(consultant)
    response = client.post(
        f"{question.get_absolute_url()}publish/",
        {
            "title": TITLE,
            "question": "At an annual wellness check-up of an adult whose type 2 diabetes is controlled, which "
            "diagnosis code comes first?",
            "answer": "Sequence Z00.00 first for the check-up, then E11.9 for the diabetes.",
            "codes": "Z00.00, E11.9",
        },
    )
    assert response.status_code == 302
    client.logout()
    return response["Location"]


def test_the_consultant_app_registers_its_knowledge_base_when_it_starts():
    assert casepilot_facts in sources.registered()


def test_a_member_asking_a_question_like_a_published_one_gets_it_cited(client, member):
    url = publish(client)
    client.force_login(member)

    html = client.get(
        "/casepilot/", {"q": "Which diagnosis comes first at a wellness check-up for diabetes?"}
    )
    page = html.content.decode()

    assert html.status_code == 200
    assert f'<a href="{url}">Knowledge base: {TITLE}</a>' in page
    assert "Sequence Z00.00 first for the check-up" in page
    assert client.get(url).status_code == 200  # the cited page is public


def test_the_published_answer_is_cited_after_our_own_facts_and_its_codes_are_checked(client):
    url = publish(client)
    answer = answer_question("E11.9 at an annual wellness check-up: which diagnosis first?")
    assert answer.kind == Kind.CODE  # E11.9's own facts first
    assert answer.facts[-1].source.url == url
    assert "knowledge_base" in answer.tools_used
    # Z00.00 and E11.9 are real codes (the demo's notes name codes it lacks, such as E08.-: flagged).
    assert not [flag for flag in answer.flags if flag.startswith(("Z00.00 ", "E11.9 "))]
    assert "Sequence Z00.00 first for the check-up, then E11.9" in answer.facts[-1].details[0]


def test_an_unrelated_question_cites_no_published_answer(client):
    publish(client)
    for question in ("Can I bill 77307 with 77300?", "Who won the football match yesterday?", "diabetes"):
        answer = answer_question(question)
        assert all("Knowledge base" not in source.label for source in answer.citations), question


def test_a_question_we_cannot_answer_becomes_the_published_answer(client):
    url = publish(client)
    answer = answer_question("wellness check-up with controlled diabetes: which diagnosis goes first?")
    assert answer.kind == Kind.KNOWLEDGE
    assert "one of our coding experts answered a question like it" in answer.headline
    assert url in [source.url for source in answer.citations]


def test_a_source_that_fails_is_skipped_and_another_registered_one_is_cited():
    def broken(question, *, limit):
        raise RuntimeError("the source is down")

    def glossary(question, *, limit):
        return [Fact("An invented code E11.99 from a source", Source("/glossary/", "Glossary"))]

    sources.register(broken)
    sources.register(glossary)
    try:
        answer = answer_question("What is a glossary?")
    finally:
        sources.unregister(broken)
        sources.unregister(glossary)
    assert "/glossary/" in [source.url for source in answer.citations]
    # A source's facts pass the same checker as ours.
    assert "E11.99 [not a code in our data]" in answer.all_text()
