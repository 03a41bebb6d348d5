"""Only a question's member and consultants may open anything of it: everyone else gets a 404,
for every URL of the app, read or write."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from consultant import services
from consultant.models import Question
from lookup.models import CodeSystem
from tests.consultant.conftest import ask, make_consultant
from tests.factories import make_account

pytestmark = pytest.mark.django_db

# Every URL of a question, with what a write would send.
QUESTION_URLS = [
    ("get", "{url}", {}),
    ("post", "{url}reply/", {"body": "Someone else's reply"}),
    ("post", "{url}close/", {}),
    ("post", "{url}claim/", {}),
    ("post", "{url}work/", {"send": "answer", "body": "Someone else's answer"}),
    ("get", "{url}publish/", {}),
    ("post", "{url}publish/", {"title": "T", "question": "Q", "answer": "A", "codes": ""}),
]
CONSULTANT_ONLY = ["claim/", "work/", "publish/"]


def test_the_list_of_urls_tested_here_is_every_url_of_the_app():
    patterns = {p.pattern.describe().split("'")[1] for p in get_resolver("consultant.urls").url_patterns}
    question_patterns = {p for p in patterns if p.startswith("<tracking")}
    tested = {"<tracking:tracking>/" + template.removeprefix("{url}") for _, template, _ in QUESTION_URLS}

    assert question_patterns == tested
    assert patterns - question_patterns == {"", "ask/", "queue/", "kb/", "kb/<slug:slug>/"}


@pytest.fixture
def answered(member, consultant):
    question = ask(member)
    services.claim(question=question, consultant=consultant)
    services.answer(question=question, consultant=consultant, body="The answer.")
    return question


@pytest.mark.parametrize(("method", "template", "data"), QUESTION_URLS)
@pytest.mark.parametrize("who", ["guest", "other member", "staff not a consultant"])
def test_nobody_else_opens_or_changes_a_question(client, answered, method, template, data, who):
    if who == "other member":
        client.force_login(make_account("other@example.com"))
    elif who == "staff not a consultant":
        client.force_login(make_account("staff@example.com", is_staff=True))
    before = list(answered.entries.values_list("body", flat=True))

    response = getattr(client, method)(template.format(url=answered.get_absolute_url()), data)

    assert response.status_code == 404
    assert list(answered.entries.values_list("body", flat=True)) == before
    assert Question.objects.get().status == "answered"


@pytest.mark.parametrize("suffix", CONSULTANT_ONLY)
def test_the_member_cannot_use_a_consultants_actions(client, answered, member, suffix):
    client.force_login(member)

    assert client.get(f"{answered.get_absolute_url()}{suffix}").status_code in (404, 405)
    assert (
        client.post(f"{answered.get_absolute_url()}{suffix}", {"send": "answer", "body": "x"}).status_code
        == 404
    )


def test_the_member_and_consultants_open_the_question(client, answered, member, consultant):
    client.force_login(member)
    assert client.get(answered.get_absolute_url()).status_code == 200
    client.force_login(make_consultant("second@example.com"))
    assert client.get(answered.get_absolute_url()).status_code == 200
    assert client.get(f"{answered.get_absolute_url()}publish/").status_code == 200


def test_the_members_list_shows_only_their_own_questions(client, answered):
    client.force_login(make_account("other@example.com"))

    page = client.get("/consultant/").content.decode()

    assert answered.tracking_number not in page and "You have not asked a question yet." in page


def test_a_guest_is_sent_to_log_in_for_the_list_and_the_form(client, demo_codes):
    assert client.get("/consultant/")["Location"] == "/accounts/login/?next=/consultant/"
    assert client.get("/consultant/ask/")["Location"] == "/accounts/login/?next=/consultant/ask/"
    assert client.post("/consultant/ask/", {"question": "x"}).status_code == 302
    assert not Question.objects.exists()


@pytest.mark.parametrize("who", ["guest", "member", "staff not a consultant"])
def test_the_queue_is_a_404_for_anyone_but_consultants(client, answered, member, who):
    if who == "member":
        client.force_login(member)
    elif who == "staff not a consultant":
        client.force_login(make_account("staff@example.com", is_staff=True))

    assert client.get("/consultant/queue/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/consultant/CC-2026-12/",
        "/consultant/CC-2026-000001%00/",
        "/consultant/cc-2026-000001/",
        "/consultant/x/",
    ],
)
def test_a_malformed_tracking_number_is_a_404(client, answered, member, path):
    client.force_login(member)

    assert client.get(path).status_code == 404


def test_a_code_system_named_consultant_never_takes_the_apps_paths(client, demo_codes):
    CodeSystem.objects.create(
        slug="consultant", name="Mine", full_name="Mine", publisher="Us", copyright_line=""
    )

    assert client.get("/consultant/changes/").status_code == 404
    assert client.get("/consultant/")["Location"] == "/accounts/login/?next=/consultant/"


def test_the_knowledge_base_is_public(client, answered, consultant):
    article = services.publish(
        question=answered,
        consultant=consultant,
        title="Coding a routine visit",
        question_text="Q",
        answer_text="A",
        codes=[],
    )

    assert client.get("/consultant/kb/").status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
