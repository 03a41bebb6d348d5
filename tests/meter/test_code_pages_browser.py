"""A guest's journey in Chromium: one free code, refused, registers, verifies, reads on."""

from __future__ import annotations

import re

import pytest

from tests.outbox import sent_emails

pytestmark = pytest.mark.browser


def test_guest_reads_one_code_registers_verifies_and_reads_the_refused_one(
    page, demo_codes_live, live_server
):
    page.goto("/")
    page.get_by_role("link", name="77307").click()
    page.wait_for_url("**/cpt/77307/")
    assert "Teletherapy isodose plan; complex" in page.locator("section.official").inner_text()
    banner = page.locator(".quota-banner").inner_text()
    assert "0 code page views remaining." in banner
    assert "Guest accounts are limited to 1 page view. Register free account to get 5 more views." in banner

    refused = page.goto("/icd-10-cm/E11.9/")
    assert refused.status == 403
    # Its public-domain title, never its descriptions.
    assert page.locator("h1 .code-title").inner_text() == "Type 2 diabetes mellitus without complications"
    assert page.locator("section.official").count() == 0
    page.get_by_role("link", name="Create a free account").click()

    page.get_by_label("Email").fill("coder@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase")
    page.get_by_label("Password (again)").fill("a-long-passphrase")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/accounts/confirm-email/")
    # Back on the refused code before verifying: told to follow the link, not to register.
    waiting = page.goto("/icd-10-cm/E11.9/")
    assert waiting.status == 403
    told = page.locator("section.locked").inner_text()
    assert (
        "Verify your email address to read this code: follow the link we emailed to coder@example.com."
        in told
    )
    assert page.get_by_role("link", name="Create a free account").count() == 0
    assert page.get_by_role("button", name="Send the email again").count() == 1

    (message,) = sent_emails()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()

    opened = page.goto("/icd-10-cm/E11.9/")
    assert opened.status == 200
    assert "Type 2 diabetes mellitus without complications" in page.locator("section.official").inner_text()
    assert "4 code page views remaining." in page.locator(".quota-banner").inner_text()
    assert "coder@example.com" in page.locator(".account-nav").inner_text()
