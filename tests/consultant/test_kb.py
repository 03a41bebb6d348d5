"""The knowledge base: consultants publish answered questions, rewritten, with the member's consent."""

from __future__ import annotations

import pytest

from consultant import kb, services
from consultant.models import Article
from lookup.models import Code
from tests.consultant.conftest import ask

pytestmark = pytest.mark.django_db


def answer(question, consultant):
    services.claim(question=question, consultant=consultant)
    return services.answer(
        question=question, consultant=consultant, body="Sequence Z00.00 first, then E11.9."
    )


def test_a_consultant_publishes_a_rewritten_answer_linked_from_its_codes(client, member, consultant):
    question = answer(ask(member), consultant)
    client.force_login(consultant)

    form = client.get(f"{question.get_absolute_url()}publish/").content.decode()
    published = client.post(
        f"{question.get_absolute_url()}publish/",
        {
            "title": "Routine visit for a patient with controlled diabetes: which code first?",
            "question": "At an annual check-up of an adult with controlled type 2 diabetes, which code comes first?",
            "answer": "Sequence Z00.00 first, then E11.9 for the diabetes.",
            "codes": "Z00.00, E11.9",
        },
    )

    article = Article.objects.get()
    assert "Sequence Z00.00 first, then E11.9." in form  # the sent answer is the starting point
    assert published.status_code == 302 and published["Location"] == article.get_absolute_url()
    assert article.slug == "routine-visit-for-a-patient-with-controlled-diabetes-which-code-first"
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "which code comes first?" in page and "Sequence Z00.00 first" in page
    assert "member@example.com" not in page
    assert [a.slug for a in kb.articles_for_code("icd-10-cm", "E119")] == [article.slug]
    assert [a.slug for a in kb.articles_for_code("icd-10-cm", "Z0000")] == [article.slug]
    assert kb.articles_for_code("icd-10-cm", "I10") == []


def test_without_the_members_consent_nothing_is_published(client, member, consultant):
    question = answer(ask(member, consent_to_publish=False), consultant)
    client.force_login(consultant)

    page = client.get(question.get_absolute_url()).content.decode()
    response = client.post(
        f"{question.get_absolute_url()}publish/", {"title": "T", "question": "Q", "answer": "A", "codes": ""}
    )

    assert "The member did not agree to publishing this answer." in page
    assert response.status_code == 400 and "did not agree" in response.content.decode()
    assert not Article.objects.exists()


def test_a_rewrite_that_still_identifies_a_patient_is_refused(client, member, consultant):
    question = answer(ask(member), consultant)
    client.force_login(consultant)

    response = client.post(
        f"{question.get_absolute_url()}publish/",
        {
            "title": "A visit",
            "question": "Patient Mary Jones, DOB 01/02/1950, came in",
            "answer": "A",
            "codes": "",
        },
    )

    assert response.status_code == 400 and "a date of birth" in response.content.decode()
    assert not Article.objects.exists()


def test_search_finds_answers_by_words_and_by_code(client, member, consultant):
    diabetes = services.publish(
        question=answer(ask(member), consultant),
        consultant=consultant,
        title="Sequencing a routine visit with diabetes",
        question_text="Which code first at an annual check-up?",
        answer_text="The encounter code first.",
        codes=list(Code.objects.filter(key="E119")),
    )
    injections = services.publish(
        question=answer(ask(member, "Injection billing?"), consultant),
        consultant=consultant,
        title="Billing an injection of penicillin",
        question_text="How are units of J-codes counted?",
        answer_text="By the dose in the descriptor.",
        codes=[],
    )

    by_word = client.get("/consultant/kb/?q=injections").content.decode()
    by_code = client.get("/consultant/kb/?q=e11.9").content.decode()
    nothing = client.get("/consultant/kb/?q=%3Cscript%3Ezzzz")

    assert injections.title in by_word and diabetes.title not in by_word
    assert diabetes.title in by_code and injections.title not in by_code
    assert nothing.status_code == 200 and "No answer matches" in nothing.content.decode()


def test_the_code_page_section_lists_its_answers_and_links_to_the_prefilled_form(client, member, consultant):
    from django.template.loader import render_to_string

    from consultant.sections import consultant_section

    def code_page_section(code):
        return render_to_string("consultant/_code_section.html", {"section": consultant_section(code=code)})

    article = services.publish(
        question=answer(ask(member), consultant),
        consultant=consultant,
        title="Sequencing a routine visit with diabetes",
        question_text="Which code first?",
        answer_text="The encounter code.",
        codes=list(Code.objects.filter(key="E119")),
    )

    html = code_page_section(Code.objects.select_related("system").get(key="E119"))
    other = code_page_section(Code.objects.select_related("system").get(key="I10"))

    assert f'href="{article.get_absolute_url()}"' in html and article.title in html
    assert 'href="/consultant/ask/?code=icd-10-cm%3AE11.9"' in html
    assert "No published answer names I10 yet." in other
    client.force_login(member)
    form = client.get("/consultant/ask/?code=icd-10-cm%3AE11.9").content.decode()
    assert 'name="codes" value="E11.9"' in form
