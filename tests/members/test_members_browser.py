"""A member stars a code, writes a note, copies the code, prints the page, opens My codes and
downloads the CSV, in Chromium; and the star works with JavaScript off."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client

from lookup.models import Code
from members.models import CodeNote, Favourite
from tests.factories import make_account

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_codes_live")]

SHOTS = Path("/tmp/shots/members")


def signed_in_context(chromium, live_server, email: str, **options):
    user = make_account(email, verified=True)
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, **options)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return user, context


def shoot(tab, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=full_page)
        tab.screenshot(path=str(SHOTS / f"{name}-{width}-top.png"))  # what the reader sees first
    tab.set_viewport_size({"width": 1280, "height": 900})


def test_a_member_keeps_their_codes(chromium, live_server):
    user, context = signed_in_context(chromium, live_server, "coder@example.com")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        tab.goto("/icd-10-cm/E11.9/")

        # The star: htmx swaps the button, and it stays starred after a reload.
        tab.get_by_role("button", name="Star E11.9").click()
        starred = tab.get_by_role("button", name="Starred E11.9")
        starred.wait_for()
        assert starred.get_attribute("aria-pressed") == "true"
        tab.reload()
        assert tab.get_by_role("button", name="Starred E11.9").is_visible()

        # The note: saved in place, shown as text (never markup).
        tab.get_by_label("Only you see this note").fill("Check <b>A1c</b> every 3 months")
        tab.get_by_role("button", name="Save note").click()
        tab.get_by_role("status").filter(has_text="Saved.").wait_for()
        assert CodeNote.objects.get(user=user).text == "Check <b>A1c</b> every 3 months"

        # The copy button puts the code on the clipboard and says so.
        tab.get_by_role("button", name="Copy code E11.9").click()
        tab.locator(".copy-status", has_text="Copied").wait_for()
        assert tab.evaluate("navigator.clipboard.readText()") == "E11.9"
        shoot(tab, "code-page")

        # On paper: the texts and sections, no header, footer, buttons or forms.
        tab.emulate_media(media="print")
        assert tab.locator(".description.official").is_visible()
        assert tab.locator(".description.plain").is_visible()
        assert tab.locator("#hierarchy, section.section").first.is_visible()
        for hidden in (".site-header", ".site-footer", ".code-tools", ".member-note", ".quota-banner"):
            assert not tab.locator(hidden).first.is_visible(), hidden
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / "code-page-print.png"), full_page=True)
        tab.emulate_media(media="screen")

        # My codes, from the header: the star, the note (as text), the recent codes.
        tab.get_by_role("link", name="My codes").first.click()
        tab.wait_for_url("**/members/")
        assert "E11.9" in tab.get_by_test_id("favourites").inner_text()
        assert "Check <b>A1c</b> every 3 months" in tab.get_by_test_id("notes").inner_text()
        assert "E11.9" in tab.get_by_test_id("recent").inner_text()
        shoot(tab, "my-codes")

        # The CSV, downloaded as a person does.
        with tab.expect_download() as download_info:
            tab.get_by_role("link", name="everything").click()
        download = download_info.value
        assert download.suggested_filename.startswith("codeahead-my-codes-")
        assert download.suggested_filename.endswith(".csv")
        rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
        by_list = {(row["list"], row["code"]): row for row in rows}
        assert ("favourites", "E11.9") in by_list and ("recent", "E11.9") in by_list
        assert by_list["notes", "E11.9"]["note"] == "Check <b>A1c</b> every 3 months"
        assert (
            by_list["favourites", "E11.9"]["official description"]
            == Code.objects.get(key="E119").official_description
        )

        # Unstarring from the list.
        tab.get_by_role("button", name="Unstar E11.9").click()
        tab.get_by_text("No starred codes yet").wait_for()
        assert not Favourite.objects.filter(user=user).exists()
    finally:
        context.close()


def test_the_star_and_the_note_work_without_javascript(chromium, live_server):
    user, context = signed_in_context(chromium, live_server, "nojs@example.com", java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        tab.goto("/hcpcs/J1100/")
        # Without JavaScript there is no copy or print button, only what works.
        assert not tab.get_by_role("button", name="Copy code J1100").is_visible()
        tab.get_by_role("button", name="Star J1100").click()
        tab.wait_for_url("**/hcpcs/J1100/")
        assert tab.get_by_role("button", name="Starred J1100").is_visible()
        assert Favourite.objects.filter(user=user, code__key="J1100").exists()

        tab.get_by_label("Only you see this note").fill("x" * 10_001)
        tab.get_by_role("button", name="Save note").click()
        assert "A note holds at most 10,000 characters" in tab.inner_text("main")
        tab.get_by_label("Only you see this note").fill("Per 1 mg")
        tab.get_by_role("button", name="Save note").click()
        tab.wait_for_url("**/hcpcs/J1100/")
        assert tab.get_by_label("Only you see this note").input_value() == "Per 1 mg"
    finally:
        context.close()
