"""A member asks CasePilot in a real browser, reads the cited answer, asks a follow-up."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_account

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("casepilot_data_live")]


def signed_in_tab(chromium, live_server, *, javascript: bool = True):
    user = make_account("coder@example.com", verified=True)
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=javascript)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return context, tab


@pytest.fixture
def member_tab(chromium, live_server):
    context, tab = signed_in_tab(chromium, live_server)
    yield tab
    context.close()


def test_a_member_asks_from_a_code_page_reads_the_citations_and_follows_up(member_tab):
    member_tab.goto("/cpt/77307/")
    panel = member_tab.locator("#casepilot-panel")
    assert "Have a question about CPT® Code 77307?" in panel.inner_text()
    panel.screenshot(path="/tmp/casepilot-panel-1280.png")
    panel.get_by_label("Your question about 77307").fill("What is this code?")
    panel.get_by_role("button", name="Ask CasePilot").click()

    answer = member_tab.locator(".cp-answer").first
    answer.wait_for()
    assert "Teletherapy isodose plan; complex" in answer.inner_text()  # the panel's code was the focus
    follow_form = member_tab.get_by_label("Ask a follow-up")
    assert follow_form.is_visible()
    sources = answer.locator(".cp-sources")
    assert sources.get_by_role("link", name="CPT 77307", exact=True).get_attribute("href") == "/cpt/77307/"
    member_tab.screenshot(path="/tmp/casepilot-answer-1280.png", full_page=True)

    member_tab.get_by_label("Ask a follow-up").fill("and with modifier 26?")
    member_tab.get_by_role("button", name="Ask", exact=True).click()
    member_tab.wait_for_url("**/casepilot/conversations/*/")  # htmx moved the address to the conversation
    follow_up = member_tab.locator(".cp-answer").nth(1)
    follow_up.wait_for()
    assert "Modifier 26 applies to CPT 77307" in follow_up.inner_text()
    assert "$149.44" in follow_up.inner_text()

    follow_up.get_by_label("Comment (optional, never patient information)").fill("Clear, thanks")
    follow_up.get_by_role("button", name="Helpful", exact=True).click()
    assert "You rated this answer helpful" in follow_up.locator(".cp-rated").inner_text()

    member_tab.set_viewport_size({"width": 375, "height": 900})
    member_tab.reload()
    member_tab.locator(".cp-answer").nth(1).wait_for()
    assert member_tab.evaluate("document.documentElement.scrollWidth") <= 375
    member_tab.screenshot(path="/tmp/casepilot-answer-375.png", full_page=True)


def test_the_answer_is_a_plain_page_with_javascript_off(chromium, live_server):
    context, tab = signed_in_tab(chromium, live_server, javascript=False)
    tab.goto("/casepilot/")
    tab.get_by_label("Your question").fill("E11.99")
    tab.get_by_role("button", name="Ask", exact=True).click()
    tab.wait_for_url("**/casepilot/?q=E11.99")
    assert "E11.99 is not a code" in tab.locator(".cp-headline").inner_text()
    assert (
        tab.locator(".cp-suggestions").get_by_role("link").first.get_attribute("href") == "/icd-10-cm/E11.9/"
    )
    context.close()


def test_a_guest_sees_the_examples_and_is_asked_to_register(page):
    page.goto("/casepilot/")
    page.get_by_role("link", name="What is CPT code 99213?").click()
    assert "Asking CasePilot needs a verified account" in page.locator(".cp-account").inner_text()
    page.screenshot(path="/tmp/casepilot-guest-1280.png", full_page=True)
