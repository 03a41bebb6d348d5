"""A member follows modifier 26 from 77307's fee schedule to its page and back to a code it applies
to; a guest goes from the HCPCS modifier LT's code page to its modifier page: in a real Chromium."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_account
from tests.lookup.importing import import_file
from tests.rules.conftest import SAMPLES

pytestmark = pytest.mark.browser


@pytest.fixture
def rules_live(demo_codes_live):
    from tests.billing.conftest import SAMPLE_2024, SAMPLE_2025, import_fee_schedule

    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)
    import_file("hcpcs", SAMPLES / "HCPC2026_JAN_ANWEB_sample.txt")


@pytest.fixture
def member_tab(chromium, live_server, rules_live):
    client = Client()
    client.force_login(make_account("coder@example.com", verified=True))
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def test_a_member_goes_from_a_fee_line_to_the_modifier_and_back_to_a_code(member_tab):
    member_tab.goto("/cpt/77307/")
    member_tab.locator("#fee-schedule").get_by_role("link", name="Professional component (26)").click()

    member_tab.wait_for_url("**/modifiers/26/")
    assert "Professional component only" in member_tab.get_by_role("heading", level=1).inner_text()
    applies = member_tab.locator("#where-it-applies")
    assert "3 codes have PC/TC indicator 1 or 6" in applies.inner_text()
    member_tab.screenshot(path="/tmp/shots/rules/modifier-26-1280.png", full_page=True)
    member_tab.set_viewport_size({"width": 375, "height": 800})
    assert member_tab.evaluate("document.documentElement.scrollWidth") <= 375
    member_tab.screenshot(path="/tmp/shots/rules/modifier-26-375.png", full_page=True)

    applies.get_by_role("link", name="77300").click()
    member_tab.wait_for_url("**/cpt/77300/#modifiers")
    modifiers = member_tab.locator("#modifiers")
    assert modifiers.is_visible() and "Professional and technical components" in modifiers.inner_text()


def test_a_guest_goes_from_the_lt_code_page_to_its_modifier_page(page, rules_live):
    page.goto("/hcpcs/LT/")
    page.get_by_role("link", name="Modifier LT: what it means, the edits it may break").click()

    page.wait_for_url("**/modifiers/LT/")
    assert "left side of the body" in page.inner_text("main")
    page.get_by_role("link", name="its code page").click()
    page.wait_for_url("**/hcpcs/LT/")
