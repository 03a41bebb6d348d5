from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_account

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fee_schedules_live")]


@pytest.fixture
def member_tab(chromium, live_server):
    """A browser tab signed in as a member, with JavaScript off: the section must work without it."""
    user = make_account("biller@example.com", verified=True)
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def test_member_picks_a_locality_then_another_year(member_tab):
    member_tab.goto("/cpt/77307/")
    section = member_tab.locator("#fee-schedule")
    assert "$283.36" in section.inner_text()

    member_tab.select_option("#fee-locality-select", "01182-18")
    member_tab.get_by_role("button", name="Show payment").click()

    member_tab.wait_for_url("**/cpt/77307/?year=2025&locality=01182-18#fee-schedule")
    assert "$321.30" in section.inner_text()  # Los Angeles, 2025
    member_tab.locator(".fee-years").get_by_role("link", name="2024").click()
    member_tab.wait_for_url("**/cpt/77307/?year=2024&locality=01182-18#fee-schedule")
    assert "$319.94" in section.inner_text()  # Los Angeles, 2024


def test_section_fits_a_phone_screen(member_tab):
    member_tab.set_viewport_size({"width": 375, "height": 800})
    member_tab.goto("/cpt/77307/?locality=01182-18")

    assert member_tab.locator("#fee-schedule").is_visible()
    assert member_tab.evaluate("document.documentElement.scrollWidth") <= 375
