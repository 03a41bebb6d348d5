"""axe-core's WCAG 2.2 AA rules over the page states a reader or an editor passes through, and
what axe cannot see: the search box as a combobox, the focus ring, tap targets, the keyboard."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from lookup.models import Code, PlainText
from tests.factories import make_account

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_codes_live")]
SHOTS = Path("/tmp/shots/editor")


def signed_in(chromium, live_server, user):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return tab


def shoot(tab, name: str) -> None:
    for width in (1280, 375):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=SHOTS / f"{name}_{width}.png")
    tab.set_viewport_size({"width": 1280, "height": 900})


def test_a_guest_passes_axe_from_home_to_the_refused_page(page, assert_accessible):
    page.goto("/")
    assert_accessible(page, "home")
    assert page.get_by_role("search").count() == 1  # the header's box gives way to the page's own

    box = page.locator("#home-q")
    box.press_sequentially("e11", delay=40)
    expect(page.locator("#home-suggest [role=option]").first).to_be_visible()
    assert_accessible(page, "home, suggestions open")
    shoot(page, "home_suggestions")

    page.goto("/search?q=injection")
    expect(page.locator("#search-results a.result")).to_have_count(3)
    assert_accessible(page, "search results")
    page.goto("/cpt/77307/")
    assert_accessible(page, "code page, guest")
    refused = page.goto("/icd-10-cm/E11.9/")
    assert refused.status == 403
    assert_accessible(page, "refused code page (403)")
    page.goto("/accounts/login/")
    assert_accessible(page, "log in")
    for path in ("/casepilot/", "/consultant/", "/jobs/"):
        page.goto(path)
        assert_accessible(page, path)


def test_suggestions_are_a_combobox_the_keyboard_drives(page):
    page.goto("/icd-10-cm/")
    box = page.get_by_role("combobox", name="Search codes")
    assert box.get_attribute("aria-expanded") == "false"

    box.press_sequentially("e11", delay=40)
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options.first).to_contain_text("E11")
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == "header-suggest-list"
    # Only a short count is spoken, never the list itself.
    assert page.locator("[aria-live], [role=status]").evaluate_all(
        "els => els.map(e => e.textContent.trim()).filter(Boolean)"
    ) == [f"{options.count()} suggestions, use the arrow keys"]

    box.press("ArrowDown")
    box.press("ArrowDown")
    second = options.nth(1)
    expect(box).to_be_focused()
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert second.get_attribute("aria-selected") == "true"
    target = second.get_attribute("href")
    box.press("Enter")
    page.wait_for_url(f"**{target}")

    page.goto("/icd-10-cm/")
    box = page.get_by_role("combobox", name="Search codes")
    box.press_sequentially("e11", delay=40)
    expect(options.first).to_be_visible()
    box.press("Tab")
    expect(page.locator("#header-suggest [role=option]")).to_have_count(0)
    assert box.get_attribute("aria-expanded") == "false"


def test_focus_ring_and_tap_targets(page):
    page.goto("/search?q=injection")
    page.keyboard.press("Tab")
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineColor, s.outlineWidth]; }"
    )
    assert ring[0] == "solid" and ring[2] == "3px"
    assert contrast(ring[1], "rgb(255, 255, 255)") >= 3 and contrast(ring[1], "rgb(246, 247, 249)") >= 3

    sizes = page.locator("select, input[type=checkbox]").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes)


def test_tab_reaches_the_search_box_on_the_home_page(page):
    page.goto("/")
    expect(page.locator("#home-q")).to_be_focused()  # autofocus
    # A keyboard reader starting from the top reaches it after the brand and the account links.
    page.locator(".brand").focus()
    seen = []
    for _ in range(6):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate("document.activeElement.id || document.activeElement.outerHTML.slice(0, 60)")
        )
        if seen[-1] == "home-q":
            break
    assert seen[-1] == "home-q", seen


def editors_group() -> Group:
    """The group the migrations make; a live-server test's flush removed it, so make it again."""
    for module in ("lookup.migrations.0009_editors_group", "casepilot.migrations.0003_editors_edit_guides"):
        migration = importlib.import_module(module)
        (migration.create_editors if hasattr(migration, "create_editors") else migration.allow_editors)(
            apps, None
        )
    return Group.objects.get(name="Editors")


def test_an_editor_reviews_in_the_queue_and_the_admin_passes_axe(chromium, live_server, assert_accessible):
    user = make_account("editor@example.com", is_staff=True)
    user.groups.add(editors_group())
    code = Code.objects.get(key="E119")
    Code.objects.filter(pk=code.pk).update(plain_description="", plain_notes="", plain_source="")
    PlainText.objects.create(
        code=code, description="Diabetes type 2, no problems.", notes="", generated_at=timezone.now()
    )
    tab = signed_in(chromium, live_server, user)

    tab.goto("/admin/")
    assert tab.locator("#site-name").inner_text() == "CodeAhead administration"
    tab.get_by_role("link", name="Review queue: generated texts").click()
    assert_accessible(tab, "admin review queue")
    assert tab.evaluate("document.querySelector('#result_list').getBoundingClientRect().right") <= 1280
    shoot(tab, "admin_queue")
    tab.get_by_role("link", name="E11.9").first.click()
    tab.get_by_label("Description").fill("Type 2 diabetes with no complications recorded.")
    tab.get_by_label("Reason for this change").fill("Plainer wording")
    assert_accessible(tab, "admin review page")
    shoot(tab, "admin_review")
    tab.get_by_role("button", name="Save", exact=True).click()
    expect(tab.locator(".messagelist")).to_contain_text("changed successfully")

    admin = signed_in(
        chromium, live_server, make_account("admin@example.com", is_staff=True, is_superuser=True)
    )
    admin.goto(f"/admin/lookup/code/{code.pk}/change/")
    assert admin.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(admin, "admin code change page")
    shoot(admin, "admin_code_change")
    admin.goto(f"/admin/lookup/code/{code.pk}/history/")
    history = admin.locator("#change-history").inner_text()
    assert (
        "Plainer wording" in history
        and "editor" in history
        and "Imported (the text before any edit)" in history
    )
    baseline = admin.locator("#change-history tbody tr").last.locator("td")
    assert baseline.nth(1).inner_text() == "The import"  # not the editor whose review took the snapshot
    assert_accessible(admin, "admin code history")
    shoot(admin, "admin_history")


def contrast(first: str, second: str) -> float:
    def luminance(rgb: str) -> float:
        channels = [int(v) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_the_staff_header_fits_a_phone(chromium, live_server):
    tab = signed_in(chromium, live_server, make_account("staff@example.com", is_staff=True))
    tab.set_viewport_size({"width": 375, "height": 800})
    tab.goto("/icd-10-cm/E11.9/")

    assert tab.get_by_role("link", name="Admin").is_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    logout = tab.get_by_role("button", name="Log out")
    line = tab.evaluate("parseFloat(getComputedStyle(document.querySelector('.account-nav')).lineHeight)")
    assert logout.bounding_box()["height"] < 1.5 * line  # one line, not "Log / out"
    tab.locator(".site-header").screenshot(path=SHOTS / "header_staff_375.png")
