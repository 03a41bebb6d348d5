"""A member makes an API key in the browser, uses it, and revokes it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import make_account

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_codes_live")]


@pytest.fixture
def member_context(chromium, live_server):
    user = make_account("integrator@example.com", verified=True)
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    yield context
    context.close()


def test_member_creates_uses_and_revokes_a_key(member_context):
    tab = member_context.new_page()
    tab.set_default_timeout(10_000)
    tab.goto("/api/keys/")
    assert "No keys yet." in tab.inner_text("main")
    tab.get_by_label("Name of the new key").fill("Coding agent")
    tab.get_by_role("button", name="Create key").click()
    token = tab.get_by_test_id("new-token").inner_text().strip()
    assert re.fullmatch(r"ca_[0-9a-f]{8}_\S+", token)
    assert "shown only this once" in tab.inner_text("main")
    tab.set_viewport_size({"width": 1280, "height": 800})
    tab.screenshot(path="/tmp/api-keys-1280.png", full_page=True)
    tab.set_viewport_size({"width": 375, "height": 800})
    tab.screenshot(path="/tmp/api-keys-375.png", full_page=True)

    answer = member_context.request.get(
        "/api/v1/codes/icd-10-cm/E11.9", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200 and answer.json()["code"] == "E11.9"
    # The members' resources take the same key: the pair checker and a CasePilot question.
    checked = member_context.request.get(
        "/api/v1/check?codes=77307,77300", headers={"Authorization": f"Bearer {token}"}
    )
    assert checked.status == 200 and [c["code"] for c in checked.json()["codes"]] == ["77307", "77300"]
    asked = member_context.request.post(
        "/api/v1/casepilot/questions",
        headers={"Authorization": f"Bearer {token}"},
        data={"question": "What is ICD-10-CM E11.9?"},
    )
    assert asked.status == 200 and asked.json()["citations"]

    # Reloading shows the key by its start only: the token is gone for good.
    tab.goto("/api/keys/")
    row = tab.locator(".keys-table tbody tr", has_text="Coding agent")
    assert token[:11] in row.inner_text() and token not in tab.content()
    row.get_by_role("button", name="Revoke").click()
    assert "The key is revoked" in tab.inner_text("main")
    refused = member_context.request.get("/api/v1/systems", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401


def test_docs_page_renders_from_our_static_files(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    listed = page.inner_text(".swagger-ui")
    for path in ["/api/v1/codes/{system}/{code}", "/api/v1/check", "/api/v1/places-of-service"]:
        assert path in listed
    assert "/api/v1/casepilot/questions" in listed and "coding rules" in listed
    base = page.url.split("/api/")[0]
    assert all(url.startswith(base) or url.startswith("data:") for url in requests), requests
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/api-docs-1280.png")
    page.set_viewport_size({"width": 375, "height": 900})
    page.screenshot(path="/tmp/api-docs-375.png")
