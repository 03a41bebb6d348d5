from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.factories import make_account
from tests.lookup.importing import SAMPLES, import_codes

SHOTS = Path("/tmp/shots/editor")

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fee_schedules_live")]


@pytest.fixture
def member_tab(chromium, live_server):
    """A browser tab signed in as a member, with JavaScript off: the section must work without it."""
    yield from member_context(chromium, live_server, javascript=False)


@pytest.fixture
def member_tab_js(chromium, live_server):
    """The same with JavaScript on, which axe needs to run in the page."""
    yield from member_context(chromium, live_server, javascript=True)


def member_context(chromium, live_server, *, javascript: bool):
    user = make_account("biller@example.com", verified=True)
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=javascript)
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


def test_section_fits_a_phone_screen(member_tab_js, assert_accessible):
    member_tab_js.set_viewport_size({"width": 375, "height": 800})
    member_tab_js.goto("/cpt/77307/?locality=01182-18")

    section = member_tab_js.locator("#fee-schedule")
    assert section.is_visible()
    assert member_tab_js.evaluate("document.documentElement.scrollWidth") <= 375
    # The payment table is wider than the phone: it scrolls inside its own box, which the
    # keyboard can reach and a screen reader names by the table's caption.
    box = section.get_by_role("region", name="National payment, CY2025")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert box.get_attribute("tabindex") == "0"
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert box.evaluate("el => el.scrollLeft") > 0
    assert member_tab_js.evaluate("document.documentElement.scrollWidth") <= 375
    section.screenshot(path=SHOTS / "fee_77307_375.png")
    assert_accessible(member_tab_js, "fee schedule section with a locality, 375 px")


def test_money_lines_up_and_na_stands_alone(member_tab_js, assert_accessible):
    member_tab_js.set_viewport_size({"width": 1280, "height": 900})
    member_tab_js.goto("/cpt/77307/")
    table = member_tab_js.locator("#fee-schedule table.fee-table").first

    # Every amount's right edge sits on its column's right edge, in figures of one width.
    rights = table.locator("td.num").evaluate_all(
        "cells => cells.map(c => { const r = document.createRange(); r.selectNodeContents(c);"
        " return [c.cellIndex, Math.round(r.getBoundingClientRect().right),"
        " getComputedStyle(c).fontVariantNumeric]; })"
    )
    by_column = {}
    for column, right, numeric in rights:
        by_column.setdefault(column, set()).add(right)
        assert numeric == "tabular-nums"
    assert by_column and all(max(r) - min(r) <= 1 for r in by_column.values())
    # CMS gives 77307 no facility rate: the cell says NA and nothing else.
    facility = table.locator("tbody tr").first.locator("td").nth(1)
    assert facility.inner_text().strip() == "NA"
    member_tab_js.locator("#fee-schedule").screenshot(path=SHOTS / "fee_77307_1280.png")
    assert_accessible(member_tab_js, "fee schedule section, 1280 px")


@pytest.mark.parametrize("width", [1280, 375])
def test_a_drug_reads_one_explanation(member_tab_js, assert_accessible, width):
    import_codes("hcpcs", SAMPLES / "HCPC2026_JAN_ANWEB_sample.txt")  # J1100's Medicare indicators
    member_tab_js.set_viewport_size({"width": width, "height": 900})
    member_tab_js.goto("/hcpcs/J1100/")
    section = member_tab_js.locator("#fee-schedule")

    assert "Status E: no payment under the physician fee schedule." in section.inner_text()
    assert "ASP pricing files" in section.inner_text()
    assert section.locator("table").count() == 0
    section.screenshot(path=SHOTS / f"fee_J1100_{width}.png")
    member_tab_js.locator(".hcpcs-detail").screenshot(path=SHOTS / f"hcpcs_J1100_{width}.png")
    indicators = member_tab_js.locator(".hcpcs-detail").inner_text()
    assert "51 Drugs" in indicators and "O1E Other: other drugs" in indicators
    assert_accessible(member_tab_js, f"J1100 code page as a member, {width} px")


RULES_SHOTS = Path("/tmp/shots/rules")


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
    RULES_SHOTS.mkdir(parents=True, exist_ok=True)
    result.scroll_into_view_if_needed()
    member_tab.screenshot(path=str(RULES_SHOTS / "fee-pos-1280.png"))

    member_tab.set_viewport_size({"width": 375, "height": 800})
    result.scroll_into_view_if_needed()
    assert member_tab.evaluate("document.documentElement.scrollWidth") <= 375
    member_tab.screenshot(path=str(RULES_SHOTS / "fee-pos-375.png"))

    # An office is the non-facility rate; the place's name leads to its page.
    member_tab.get_by_label("Place of service").select_option("11")
    member_tab.get_by_role("button", name="Show payment").click()
    member_tab.wait_for_url("**/cpt/99213/?year=2025&locality=01182-18&pos=11#fee-schedule")
    assert "non-facility rate" in result.inner_text() and "$98.19" in result.inner_text()
    result.get_by_role("link", name="Place of service 11: Office").click()
    member_tab.wait_for_url("**/pos/11/")
    assert member_tab.get_by_role("heading", level=1).inner_text() == "11 Office"
