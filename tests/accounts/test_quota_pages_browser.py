"""The pages around the quota in Chromium: a guest out of views, an unverified member asking
for the email again, and the account page. Screenshots in /tmp/shots/texts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import make_account
from tests.outbox import sent_emails

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/texts")
WIDTHS = (1280, 375)


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def log_in(page, live_server, user) -> None:
    """The browser logged in as `user`, as after the log-in form (its session cookie)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_guest_out_of_views_sees_the_title_and_one_call_to_action(page, demo_codes_live):
    page.goto("/cpt/77307/")

    refused = page.goto("/icd-10-cm/E11.9/")

    assert refused.status == 403
    assert page.locator("h1 .code-title").inner_text() == "Type 2 diabetes mellitus without complications"
    buttons = page.locator("main .button, main button")
    assert buttons.count() == 1
    assert buttons.first.inner_text() == "Create a free account"
    assert page.get_by_role("link", name="Log in").last.is_visible()
    assert page.locator("main section.official, main .plain-language").count() == 0
    shoot(page, "guest-out-of-views")
    buttons.first.click()
    page.wait_for_url("**/accounts/signup/?next=/icd-10-cm/E11.9/")


def test_an_unverified_member_sends_the_email_again_and_returns_to_the_code(
    page, demo_codes_live, live_server
):
    log_in(page, live_server, make_account("new@example.com", verified=False))
    page.goto("/cpt/77307/")  # the one view before verifying

    refused = page.goto("/icd-10-cm/E11.9/")
    assert refused.status == 403
    assert "follow the link we emailed to new@example.com" in page.locator("main").inner_text()
    shoot(page, "unverified-out-of-views")
    page.get_by_role("button", name="Send the email again").click()

    page.wait_for_url("**/icd-10-cm/E11.9/")
    assert "We have emailed a verification link to new@example.com." in page.locator(".messages").inner_text()
    shoot(page, "unverified-email-sent-again")
    (message,) = sent_emails()
    assert message.to == ["new@example.com"]
    page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0))
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/icd-10-cm/E11.9/")
    assert "Type 2 diabetes mellitus without complications" in page.locator("section.official").inner_text()


def test_the_account_page_lists_the_codes_opened_this_period(page, demo_codes_live, live_server):
    log_in(page, live_server, make_account("reader@example.com"))
    page.goto("/icd-10-cm/E11.9/")
    page.goto("/hcpcs/J1100/")

    page.get_by_role("link", name="Account").click()

    page.wait_for_url("**/accounts/")
    assert "2 of 6 views used, 4 remaining." in page.locator("main").inner_text()
    shoot(page, "account-page")
    page.get_by_role("link", name=re.compile(r"^ICD-10-CM E11\.9")).click()
    page.wait_for_url("**/icd-10-cm/E11.9/")
    assert "4 code page views remaining." in page.locator(".quota-banner").inner_text()
