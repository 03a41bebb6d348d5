"""CasePilot through the JSON API: a verified member's key asks, metered with the site's allowance."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.utils import timezone

from api.models import ApiKey
from casepilot.models import Conversation, Exchange
from lookup.models import Code
from meter.services import reader_for_user, remaining
from tests.api.test_v1 import assert_error, bearer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_data")]

URL = "/api/v1/casepilot/questions"
DESCRIPTOR_77300 = "Basic radiation dosimetry calculation, central axis depth dose"


def post(client, body, token: str | None = None):
    headers = bearer(token) if token else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


def site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def owner(token: str):
    return ApiKey.objects.get(prefix=token[:11]).user


def left_today(token: str) -> int | None:
    user = owner(token)
    return remaining(reader=reader_for_user(user), resource="casepilot_question", now=timezone.now())


@pytest.fixture
def two_a_day(settings):
    settings.METER_RULES = {
        **settings.METER_RULES,
        "casepilot_question": {**settings.METER_RULES["casepilot_question"], "verified": 2},
    }


def test_only_a_verified_members_key_may_ask(client, unverified_token):
    assert_error(post(client, {"question": "What is CPT 77307?"}), 401, "unauthorized")
    error = assert_error(post(client, {"question": "What is CPT 77307?"}, unverified_token), 403, "forbidden")
    assert "verif" in error["message"]
    assert_error(post(client, {"question": "e119"}, "ca_00000000_nope"), 401, "unauthorized")
    assert not Exchange.objects.exists() and not Conversation.objects.exists()


def test_a_member_gets_the_answer_with_facts_and_absolute_citations(client, member_token):
    response = post(client, {"question": "What is CPT 77307?"}, member_token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "code" and "77307" in body["headline"]
    assert body["facts"] and body["citations"]
    assert all(c["url"].startswith(settings.SITE_URL) for c in body["citations"])
    assert site("/cpt/77307/") in [c["url"] for c in body["citations"]]
    numbers = {c["number"] for c in body["citations"]}
    assert all(f["citation"] in numbers for f in body["facts"])
    assert isinstance(body["warnings"], list)
    # Kept on the key's account, as the site keeps a member's conversation.
    exchange = Exchange.objects.get()
    assert exchange.user.email == "integrator@example.com"
    assert body["conversation"] == exchange.conversation_id
    assert body["conversation_url"] == site(f"/casepilot/conversations/{exchange.conversation_id}/")
    assert body["allowance"]["remaining"] == settings.METER_RULES["casepilot_question"]["verified"] - 1
    # A follow-up in the same conversation keeps the code in focus.
    follow = post(
        client, {"question": "and with modifier 26?", "conversation": body["conversation"]}, member_token
    )
    assert "Modifier 26 applies to CPT 77307" in json.dumps(follow.json())
    assert Exchange.objects.filter(conversation_id=body["conversation"]).count() == 2


def test_someone_elses_conversation_is_a_404(client, member_token, unverified_token):
    from tests.factories import make_account

    other = make_account("other@example.com", verified=True)
    theirs = Conversation.objects.create(user=other, title="theirs")
    for pk in (theirs.pk, 0, 2**40):
        response = post(client, {"question": "and with 26?", "conversation": pk}, member_token)
        assert_error(response, 404, "not_found")
    assert not Exchange.objects.exists()


def test_the_checker_warns_of_a_code_that_does_not_exist(client, member_token):
    body = post(client, {"question": "Is E11.9 the same as E11.99?"}, member_token).json()
    assert any("E11.99" in w and "not a code" in w for w in body["warnings"]), body


def test_patient_information_is_refused_with_a_400_and_nothing_is_kept(client, member_token):
    before = left_today(member_token)
    response = post(
        client, {"question": "Patient John Smith, DOB 01/02/1960, has E11.9: what code?"}, member_token
    )
    error = assert_error(response, 400, "patient_information")
    assert "date of birth" in error["message"]
    assert "John Smith" not in response.content.decode()
    assert not Exchange.objects.exists() and not Conversation.objects.exists()
    assert left_today(member_token) == before  # not counted either


@pytest.mark.parametrize(
    "body,status",
    [
        ({"question": ""}, 400),
        ({"question": "   "}, 400),
        ({"question": "x" * 10_000}, 400),
        ({"question": "E11\x00.9 \x00"}, 400),
        ({"question": 42}, 422),
        ({}, 422),
        ({"question": "e119", "conversation": "abc"}, 422),
        ("not json at all", 400),
        (b"\xff\xfe", 400),
        ("[]", 422),
    ],
)
def test_bad_input_is_an_error_never_a_500_and_is_not_counted(client, member_token, body, status):
    before = left_today(member_token)
    response = post(client, body, member_token)
    assert response.status_code == status, response.content
    assert response.json()["error"]["status"] == status
    assert left_today(member_token) == before
    assert not Exchange.objects.exists()


def test_the_site_and_the_api_share_the_daily_allowance(client, member_token, two_a_day):
    client.force_login(owner(member_token))
    for question in ("e119", "J1100"):
        assert client.get("/casepilot/", {"q": question}).status_code == 200
    client.logout()
    response = post(client, {"question": "What is CPT 77307?"}, member_token)
    error = assert_error(response, 429, "rate_limited")
    assert "2 questions for today" in error["message"]
    retry = int(response["Retry-After"])
    assert 0 < retry <= 86_400
    assert Exchange.objects.count() == 2


def test_questions_asked_through_the_api_count_on_the_site(client, member_token, two_a_day):
    for question in ("e119", "J1100"):
        assert post(client, {"question": question}, member_token).status_code == 200
    assert_error(post(client, {"question": "I10"}, member_token), 429, "rate_limited")
    client.force_login(owner(member_token))
    assert (
        "You have asked your 2 questions for today"
        in client.get("/casepilot/", {"q": "I10"}).content.decode()
    )


def test_staff_keys_are_not_counted(client, staff_token, two_a_day):
    for question in ("e119", "J1100", "I10"):
        response = post(client, {"question": question}, staff_token)
        assert response.status_code == 200
        assert response.json()["allowance"]["remaining"] is None
    assert Exchange.objects.count() == 3


def test_a_cpt_descriptor_without_its_licence_is_never_in_an_answer(client, member_token, settings):
    settings.TEXT_LICENCES = set()
    Code.objects.filter(system__slug="cpt", key="77300").update(
        official_description=DESCRIPTOR_77300, title="Basic dosimetry calc"
    )
    for question in ("What is CPT 77300?", "Can 77300 be billed with 77307?", "basic radiation dosimetry"):
        response = post(client, {"question": question}, member_token)
        assert response.status_code == 200
        text = response.content.decode()
        assert "Basic radiation dosimetry calculation" not in text and "Basic dosimetry calc" not in text


def test_the_schema_documents_the_question_resource(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/casepilot/questions"]["post"]
    assert "requestBody" in operation
    assert {"200", "400", "401", "403", "429"} <= set(operation["responses"])
