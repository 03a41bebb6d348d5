"""A member reads a team-written text, follows a code in a note, and reads a generated one."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from lookup.models import Code, CodeSystem, PlainText
from tests.factories import make_account

pytestmark = pytest.mark.browser


def sign_in(page, live_server) -> None:
    client = Client()
    client.force_login(make_account("reader@example.com", verified=True))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_member_follows_a_note_link_to_a_generated_text(page, live_server, demo_codes_live):
    parent = Code.objects.get(key="E11")
    e11_a = Code.objects.create(
        system=parent.system,
        code="E11.A",
        key="E11A",
        parent=parent,
        billable=True,
        sort_order=parent.sort_order + 1,
        official_description="Type 2 diabetes mellitus without complications in remission",
    )
    PlainText.objects.create(
        code=e11_a,
        description="Type 2 diabetes mellitus without complications in remission.",
        notes="It sits in category E11 (Type 2 diabetes mellitus), in the block Diabetes mellitus (E08-E13).",
        generated_at=timezone.now(),
    )
    sign_in(page, live_server)

    page.goto("/icd-10-cm/E11.9/")
    plain = page.locator("section.plain")
    assert "Written by our coding team" in plain.inner_text()
    notes = page.locator("section.notes")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/texts-e11.9-1280.png", full_page=True)

    notes.get_by_role("link", name="E11.A").click()
    page.wait_for_url("**/icd-10-cm/E11.A/")
    plain = page.locator("section.plain")
    assert "Type 2 diabetes mellitus without complications in remission." in plain.inner_text()
    assert "Generated from the official text; not yet reviewed" in plain.inner_text()
    page.screenshot(path="/tmp/texts-e11.a-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="/tmp/texts-e11.a-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    plain.get_by_role("link", name="E11", exact=True).click()
    page.wait_for_url("**/icd-10-cm/E11/")
    assert "Type 2 diabetes mellitus" in page.locator("h1").inner_text()


def test_member_reads_a_pcs_code_character_by_character(page, live_server, demo_codes_live):
    pcs = CodeSystem.objects.get(slug="icd-10-pcs")
    for order, (key, title) in enumerate(
        {
            "0DTJ4ZZ": "Resection of Appendix, Percutaneous Endoscopic Approach",
            "0DTJ0ZZ": "Resection of Appendix, Open Approach",
            "0DTK4ZZ": "Resection of Ascending Colon, Percutaneous Endoscopic Approach",
        }.items()
    ):
        Code.objects.create(
            system=pcs, code=key, key=key, billable=True, sort_order=order, official_description=title
        )
    sign_in(page, live_server)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/icd-10-pcs/0DTJ4ZZ/")
    table = page.locator("table.characters")
    rows = [row.inner_text().split("\t") for row in table.locator("tbody tr").all()]
    assert [row[:3] for row in rows] == [
        ["1", "0", "Section"],
        ["2", "D", "Body system"],
        ["3", "T", "Root operation"],
        ["4", "J", "Body part"],
        ["5", "4", "Approach"],
        ["6", "Z", "Device"],
        ["7", "Z", "Qualifier"],
    ]
    assert rows[3][3].startswith("Appendix") and rows[4][3].startswith("Percutaneous Endoscopic")
    page.screenshot(path="/tmp/texts-pcs-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="/tmp/texts-pcs-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
