"""A member asks CasePilot a coding-rules question in a real browser and follows its citation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.casepilot.test_casepilot_browser import signed_in_tab

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("casepilot_data_live")]

SHOTS = Path("/tmp/shots/pilot")


def test_a_member_asks_about_a_code_pair_and_opens_the_cited_check(chromium, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, tab = signed_in_tab(chromium, live_server)
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto("/casepilot/")
    tab.get_by_label("Your question").fill("Can I bill 77307 with 77300?")
    tab.get_by_role("button", name="Ask", exact=True).click()

    answer = tab.locator(".cp-answer").first
    answer.wait_for()
    assert (
        "Only with a modifier: 77300 is bundled into 77307" in tab.locator(".cp-headline").first.inner_text()
    )
    assert "Modifier indicator 1" in answer.inner_text()
    sources = answer.locator(".cp-sources")
    assert "NCCI PTP edits, practitioner services 32.0" in sources.inner_text()  # the edit release
    tab.screenshot(path=str(SHOTS / "casepilot-ncci-1280.png"), full_page=True)

    tab.set_viewport_size({"width": 375, "height": 900})
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    tab.screenshot(path=str(SHOTS / "casepilot-ncci-375.png"), full_page=True)
    tab.set_viewport_size({"width": 1280, "height": 900})

    sources.get_by_role("link", name="NCCI PTP edits, practitioner: 77307 with 77300").click()
    tab.wait_for_url("**/check/?codes=77307,77300")
    page = tab.locator("main").inner_text()
    assert "77307" in page and "77300" in page and "modifier" in page.lower()
    tab.screenshot(path=str(SHOTS / "check-from-casepilot-1280.png"), full_page=True)
    context.close()


def test_a_place_of_service_answer_links_to_its_page(chromium, live_server):
    context, tab = signed_in_tab(chromium, live_server, javascript=False)
    tab.goto("/casepilot/?q=What+is+place+of+service+11%3F")
    assert tab.locator(".cp-headline").inner_text().startswith("Place of service 11 is Office, paid at")
    tab.locator(".cp-sources").get_by_role("link", name="Place of service 11").click()
    tab.wait_for_url("**/pos/11/")
    assert "Office" in tab.locator("main").inner_text()
    context.close()


def test_a_crosswalk_answer_reads_well_on_a_phone(chromium, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, tab = signed_in_tab(chromium, live_server)
    for width in (1280, 375):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto("/casepilot/?q=What+does+ICD-9+250.00+map+to%3F")
        assert tab.locator(".cp-headline").inner_text() == "ICD-9-CM 250.00 maps to ICD-10-CM E11.9."
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        tab.screenshot(path=str(SHOTS / f"casepilot-crosswalk-{width}.png"), full_page=True)
    tab.locator(".cp-sources").get_by_role("link", name="Crosswalk: ICD-10-CM E11.9").first.click()
    tab.wait_for_url("**/icd-10-cm/E11.9/#crosswalk")
    assert "250.00" in tab.locator("#crosswalk").inner_text()
    context.close()


def test_a_published_expert_answer_is_cited_and_opens(chromium, live_server):
    from django.test import Client

    from tests.casepilot.test_knowledge_sources import TITLE, publish

    url = publish(Client())
    context, tab = signed_in_tab(chromium, live_server)
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto("/casepilot/")
    tab.get_by_label("Your question").fill("Which diagnosis comes first at a wellness check-up for diabetes?")
    tab.get_by_role("button", name="Ask", exact=True).click()
    answer = tab.locator(".cp-answer").first
    answer.wait_for()
    assert "Sequence Z00.00 first for the check-up" in answer.inner_text()
    tab.screenshot(path=str(SHOTS / "casepilot-knowledge-base-1280.png"), full_page=True)
    answer.locator(".cp-sources").get_by_role("link", name=f"Knowledge base: {TITLE}").click()
    tab.wait_for_url(f"**{url}")
    assert TITLE in tab.locator("main").inner_text()
    context.close()
