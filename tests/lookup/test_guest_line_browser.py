"""A guest out of views searches by everyday words: the results name the codes, not our words;
a member searching the same reads them (issue 17, item 10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lookup.test_plain_texts_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_codes_live")]

SHOTS = Path("/tmp/shots/harden")
OUR_99213 = "established patient that needs a low level"


def search(page, words: str):
    page.goto("/search")
    page.get_by_label("Code, prefix, range or words").fill(words)
    results = page.locator("#search-results")
    results.locator('a.result[href="/cpt/99213/"]').wait_for()
    return results


def test_a_guest_out_of_views_reads_codes_not_our_words(page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/icd-10-cm/E11.9/")  # the guest's one view
    page.goto("/cpt/99214/")
    assert "You have used your code page views" in page.inner_text("main")

    results = search(page, "established patient")

    row = results.locator("li", has=page.locator('a[href="/cpt/99213/"]'))
    assert "matched in our plain-language description" in row.inner_text()
    assert "needs an AMA licence" in row.inner_text()
    assert OUR_99213 not in page.content()
    page.screenshot(path=str(SHOTS / "search-guest-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SHOTS / "search-guest-375.png"), full_page=True)


def test_a_member_reads_our_words_in_the_results(page, live_server):
    sign_in(page, live_server)

    results = search(page, "established patient")

    assert OUR_99213 in results.inner_text()
    assert "(our words; the official descriptor needs an AMA licence)" in results.inner_text()
    page.screenshot(path=str(SHOTS / "search-member-1280.png"), full_page=True)
