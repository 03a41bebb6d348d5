"""The filters in Chromium: ticking a box updates the results and the address (htmx), and the
same form works with JavaScript off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.jobs.conftest import make_employer, make_job

pytestmark = pytest.mark.browser


@pytest.fixture
def jobs_live(transactional_db):
    employer = make_employer()
    make_job(employer, title="Remote CPC coder", credentials=["CPC"])
    make_job(
        employer, title="On-site CRC coder", credentials=["CRC"], setting="on-site", city="Reno", state="NV"
    )


def test_ticking_a_box_filters_at_once(page, jobs_live):
    page.goto("/jobs/")
    rows = page.locator(".job-list .job-row")
    expect(rows).to_have_count(2)
    page.get_by_label("CRC", exact=True).check()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("On-site CRC coder")
    expect(page).to_have_url(re.compile(r"/jobs/\?.*credential=CRC"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/jobs/$"))


def test_filters_work_without_javascript(chromium, live_server, jobs_live):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/jobs/")
    tab.get_by_label("Remote").check()
    tab.get_by_role("button", name="Show jobs").click()
    expect(tab).to_have_url(re.compile(r"/jobs/\?.*setting=remote"))
    expect(tab.locator(".job-list .job-row")).to_have_count(1)
    expect(tab.locator(".job-list")).to_contain_text("Remote CPC coder")
    context.close()
