"""Browsing ICD-10-PCS in Chromium as its tables are laid out, down to a code's page."""

from __future__ import annotations

from pathlib import Path

import pytest

from lookup.models import Code, CodeSystem

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/texts")
TITLES = {
    "0DTJ0ZZ": "Resection of Appendix, Open Approach",
    "0DTJ4ZZ": "Resection of Appendix, Percutaneous Endoscopic Approach",
    "0DTK4ZZ": "Resection of Ascending Colon, Percutaneous Endoscopic Approach",
    "0DBJ0ZZ": "Excision of Appendix, Open Approach",
    "0016070": "Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach",
    "B020ZZZ": "Plain Radiography of Sella Turcica",
}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_browsing_section_body_system_root_operation_then_a_code(page, demo_codes_live):
    pcs = CodeSystem.objects.get(slug="icd-10-pcs")
    Code.objects.bulk_create(
        Code(system=pcs, code=key, key=key, billable=True, sort_order=n, official_description=title)
        for n, (key, title) in enumerate(TITLES.items())
    )

    page.goto("/icd-10-pcs/")
    shoot(page, "pcs-sections")
    page.get_by_role("link", name="0 Medical and Surgical").click()

    page.wait_for_url("**/icd-10-pcs/browse/0/")
    assert "2 body systems under 0" in page.locator("main").inner_text()
    shoot(page, "pcs-section-0")
    page.get_by_role("link", name="0D Gastrointestinal System").click()

    page.wait_for_url("**/icd-10-pcs/browse/0D/")
    assert "cutting out or off all of a body part" in page.locator("main").inner_text()
    shoot(page, "pcs-body-system-0D")
    page.get_by_role("link", name="0DT Resection").click()

    page.wait_for_url("**/icd-10-pcs/browse/0DT/")
    assert "3 codes in table 0DT" in page.locator("main").inner_text()
    shoot(page, "pcs-table-0DT")
    page.get_by_role("link", name="0DTJ4ZZ").click()

    page.wait_for_url("**/icd-10-pcs/0DTJ4ZZ/")
    assert "Resection of Appendix, Percutaneous Endoscopic Approach" in page.locator("main").inner_text()
    assert page.locator(".breadcrumbs").get_by_role("link", name="0DT", exact=True).is_visible()
    shoot(page, "pcs-code-0DTJ4ZZ")
