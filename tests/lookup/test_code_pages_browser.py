from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_reader_goes_from_home_to_77307_and_reads_both_descriptions(page, demo_codes_live):
    page.goto("/")
    page.get_by_role("link", name="77307").click()

    page.wait_for_url("**/cpt/77307/")
    official = page.locator("section.official")
    assert "Teletherapy isodose plan; complex (multiple treatment areas" in official.inner_text()
    assert "© Copyright 2026 American Medical Association. All rights reserved." in official.inner_text()
    plain = page.locator("section.plain")
    assert "Common Language Description" in plain.inner_text()
    assert "lines of equal dose" in plain.inner_text()
    assert page.title().startswith("CPT 77307")


def test_code_page_fits_a_phone_screen(page, demo_codes_live):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/icd-10-cm/S52.521A/")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375


def test_pages_load_nothing_from_other_hosts(page, live_server, demo_codes_live):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    for path in ["/", "/cpt/77307/", "/icd-10-cm/E11.9/", "/search?q=diabetes", "/no-such-page/"]:
        page.goto(path)

    assert requested, "the browser made no requests at all"
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    assert any("/static/css/site.css" in url for url in requested)
    assert any("htmx" in url for url in requested)
