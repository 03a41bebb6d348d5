from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_typing_shows_results_and_the_keyboard_opens_one(page, demo_codes_live):
    page.goto("/search")
    box = page.get_by_label("Code, prefix, range or words")
    results = page.locator("#search-results a.result")

    box.press_sequentially("ceftriax", delay=40)
    expect(results.first).to_contain_text("J0696")
    expect(page).to_have_url(re.compile(r"/search\?q=ceftriax"))

    box.fill("")
    box.press_sequentially("injection", delay=40)
    expect(results).to_have_count(3)
    expect(page.locator("#search-results")).to_contain_text("3 results for “injection”")
    second = results.nth(1)
    target = second.get_attribute("href")

    box.press("ArrowDown")
    expect(results.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(second).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url(f"**{target}")
    assert page.locator("h1").inner_text().startswith(target.strip("/").split("/")[-1])

    # Back returns to the same query and its results.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/search\?q=injection"))
    expect(page.get_by_label("Code, prefix, range or words")).to_have_value("injection")
    expect(page.locator("#search-results a.result")).to_have_count(3)


def test_header_box_suggests_codes_and_enter_opens_an_exact_code(page, demo_codes_live):
    page.goto("/icd-10-cm/")
    box = page.get_by_label("Search codes")

    box.press_sequentially("e11", delay=40)
    expect(page.locator("#header-suggest a.result").first).to_contain_text("E11")

    box.fill("e11.9")
    box.press("Enter")
    page.wait_for_url("**/icd-10-cm/E11.9/")

    # Back goes back where the reader was, not to the search again.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/icd-10-cm/$"))


def test_back_from_an_exact_code_typed_in_the_search_page_shows_the_results(page, demo_codes_live):
    page.goto("/search")
    box = page.get_by_label("Code, prefix, range or words")
    box.press_sequentially("e119", delay=40)
    expect(page.locator("#search-results a.result").first).to_contain_text("E11.9")

    box.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/icd-10-cm/E11.9/")
    page.go_back()

    expect(page).to_have_url(re.compile(r"/search\?q=e119"))
    expect(page.locator("#search-results a.result").first).to_contain_text("E11.9")
