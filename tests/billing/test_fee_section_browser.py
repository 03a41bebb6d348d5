from __future__ import annotations

from pathlib import Path

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

    # The place-of-service select, left at "Any", sends an empty pos.
    member_tab.wait_for_url("**/cpt/77307/?year=2025&locality=01182-18&pos=#fee-schedule")
    assert "$321.30" in section.inner_text()  # Los Angeles, 2025
    member_tab.locator(".fee-years").get_by_role("link", name="2024").click()
    member_tab.wait_for_url("**/cpt/77307/?year=2024&locality=01182-18#fee-schedule")
    assert "$319.94" in section.inner_text()  # Los Angeles, 2024


def test_section_fits_a_phone_screen(member_tab):
    member_tab.set_viewport_size({"width": 375, "height": 800})
    member_tab.goto("/cpt/77307/?locality=01182-18")

    assert member_tab.locator("#fee-schedule").is_visible()
    assert member_tab.evaluate("document.documentElement.scrollWidth") <= 375


SHOTS = Path("/tmp/shots/rules")


def test_member_picks_a_place_of_service_and_follows_it_to_its_page(member_tab):
    member_tab.set_viewport_size({"width": 1280, "height": 900})
    member_tab.goto("/cpt/99213/")
    section = member_tab.locator("#fee-schedule")
    # Both national rates, and no verdict until a place is chosen.
    assert "$88.95" in section.inner_text() and "$63.72" in section.inner_text()
    assert member_tab.locator("#fee-pos-result").count() == 0

    member_tab.select_option("#fee-locality-select", "01182-18")
    member_tab.get_by_label("Place of service").select_option(
        label="22 On Campus-Outpatient Hospital (facility rate)"
    )
    member_tab.get_by_role("button", name="Show payment").click()

    member_tab.wait_for_url("**/cpt/99213/?year=2025&locality=01182-18&pos=22#fee-schedule")
    result = member_tab.locator("#fee-pos-result")
    assert "is paid at the facility rate in CA: Los Angeles" in result.inner_text()
    assert "$68.06" in result.inner_text()  # (1.30 x 1.042 + 0.57 x 1.194 + 0.10 x 0.690) x 32.3465
    assert member_tab.locator("#fee-pos-select").input_value() == "22"  # the choice stays selected
    SHOTS.mkdir(parents=True, exist_ok=True)
    result.scroll_into_view_if_needed()
    member_tab.screenshot(path=str(SHOTS / "fee-pos-1280.png"))

    member_tab.set_viewport_size({"width": 375, "height": 800})
    result.scroll_into_view_if_needed()
    assert member_tab.evaluate("document.documentElement.scrollWidth") <= 375
    member_tab.screenshot(path=str(SHOTS / "fee-pos-375.png"))

    # An office is the non-facility rate; the place's name leads to its page.
    member_tab.get_by_label("Place of service").select_option("11")
    member_tab.get_by_role("button", name="Show payment").click()
    member_tab.wait_for_url("**/cpt/99213/?year=2025&locality=01182-18&pos=11#fee-schedule")
    assert "non-facility rate" in result.inner_text() and "$98.19" in result.inner_text()
    result.get_by_role("link", name="Place of service 11: Office").click()
    member_tab.wait_for_url("**/pos/11/")
    assert member_tab.get_by_role("heading", level=1).inner_text() == "11 Office"
