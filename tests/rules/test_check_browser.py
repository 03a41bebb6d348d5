"""A member checks 77307 with 77300, then reads what modifier 59 means: in a real Chromium."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_account
from tests.rules.conftest import add_type_1_diabetes, load_ncci_samples

pytestmark = pytest.mark.browser


@pytest.fixture
def ncci_live(demo_codes_live):
    load_ncci_samples()
    add_type_1_diabetes()
    make_account("coder@example.com", verified=True)


def test_a_member_checks_a_pair_then_reads_a_modifier(page, ncci_live):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/check/")
    page.get_by_label("Codes", exact=True).fill("77307, 77300")
    page.get_by_role("button", name="Check").click()
    # A guest is told the checker is for members, and logs in from there.
    page.get_by_text("For members").wait_for()
    page.locator(".locked").get_by_role("link", name="log in").click()
    page.get_by_label("Email").fill("coder@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()

    page.wait_for_url("**/check/?codes=77307*")
    pair = page.get_by_role("article", name="77307 with 77300")
    pair.get_by_text("Modifier may apply").wait_for()
    text = pair.inner_text()
    assert "column 1 77307, column 2 77300" in text and "Modifier indicator 1" in text
    assert "Practitioner" in text and "Hospital outpatient" in text
    page.screenshot(path="/tmp/shots/rules/check-1280.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="/tmp/shots/rules/check-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # Diagnoses, through htmx this time (the page stays, the results change).
    page.get_by_label("Codes", exact=True).fill("E11.9 E10.9")
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Excludes1 at E11").first.wait_for()
    assert "codes=E11.9" in page.url

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/check/?codes=77307,77300")
    page.get_by_role("article", name="77307 with 77300").get_by_role("link", name="59").first.click()
    page.wait_for_url("**/modifiers/59/")
    assert "Distinct procedural service" in page.get_by_role("heading", level=1).inner_text()
    assert "modifier of last resort" in page.inner_text("main")
    page.screenshot(path="/tmp/shots/rules/modifier-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="/tmp/shots/rules/modifier-375.png", full_page=True)


def test_places_of_service_read_on_a_phone(page, demo_codes_live):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/pos/")
    page.get_by_role("link", name="Inpatient Hospital").click()
    page.wait_for_url("**/pos/21/")
    assert "Facility rate" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="/tmp/shots/rules/pos-375.png", full_page=True)


def test_a_member_reads_the_modifiers_of_77307_on_its_page(chromium, live_server, ncci_live):
    from django.test import Client

    from tests.billing.conftest import SAMPLE_2025, import_fee_schedule

    import_fee_schedule(path=SAMPLE_2025)
    client = Client()
    client.login(username="coder", password=PASSWORD)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    tab = context.new_page()
    tab.goto("/cpt/77307/")
    section = tab.locator("#modifiers")
    assert "Professional and technical components" in section.inner_text()
    section.scroll_into_view_if_needed()
    tab.screenshot(path="/tmp/shots/rules/code-page-1280.png", full_page=True)
    tab.set_viewport_size({"width": 375, "height": 800})
    tab.screenshot(path="/tmp/shots/rules/code-page-375.png", full_page=True)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    tab.locator("#ncci").get_by_role("link", name="77306").first.click()
    tab.wait_for_url("**/check/?codes=77307,77306")
    assert "Bundled" in tab.inner_text("main")
    context.close()
