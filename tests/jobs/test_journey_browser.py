"""The job board's journey in Chromium: an employer posts, staff approve, a coder looking for
remote CPC work finds it, saves the search, gets the digest, and the job expires off the list."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from jobs.actions import expire_jobs
from jobs.alerts import send_job_alerts
from tests.factories import make_account
from tests.jobs.conftest import make_employer, make_job
from tests.outbox import sent_emails

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("JOBS_SCREENSHOTS", "/tmp/jobs-screenshots")


def logged_in_tab(chromium, live_server, user):
    """A fresh browser signed in as `user` (the log-in form itself is tested by accounts)."""
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
    os.makedirs(SHOTS, exist_ok=True)
    for width in (1280, 375):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    tab.set_viewport_size({"width": 1280, "height": 900})


def test_employer_posts_staff_approve_coder_finds_saves_gets_digest_and_job_expires(
    chromium, live_server, transactional_db, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Other open jobs the coder's filters must leave out.
    others = make_employer("hr@other.example", organisation="Metro Hospital")
    make_job(
        others, title="On-site CPC coder", setting="on-site", city="Reno", state="NV", credentials=["CPC"]
    )
    make_job(others, title="Remote CCS inpatient coder", credentials=["CCS"], specialty="inpatient")

    # The employer: profile first, then the job.
    employer_user = make_account("hiring@lakeside.example")
    employer = logged_in_tab(chromium, live_server, employer_user)
    employer.goto("/jobs/post/")
    expect(employer).to_have_url(re.compile(r"/jobs/employer/\?next=/jobs/post/"))
    employer.get_by_label("Organisation").fill("Lakeside Clinic")
    employer.get_by_label("Website").fill("https://lakeside.example")
    employer.get_by_label("Contact name").fill("Pat Rivera")
    employer.get_by_role("button", name="Save profile").click()
    expect(employer).to_have_url(re.compile(r"/jobs/post/$"))
    shoot(employer, "post-form")

    employer.get_by_label("Title").fill("Remote professional fee coder")
    employer.get_by_label("Description").fill(
        "Join our **coding team**.\n\n- E/M and minor procedures\n- Work from home\n\n<script>alert('x')</script>"
    )
    employer.get_by_label("CPC", exact=True).check()
    employer.get_by_label("CCS-P").check()
    employer.get_by_label("Remote").check()
    employer.get_by_label("Full-time").check()
    employer.get_by_label("Experience").select_option("mid")
    employer.get_by_label("Specialty").select_option("professional")
    employer.get_by_label("Pay from").fill("27")
    employer.get_by_label("Pay up to").fill("32")
    employer.get_by_label("per hour").check()
    employer.get_by_label("Apply at this address").fill("https://lakeside.example/careers/77")
    employer.get_by_role("button", name="Save and preview").click()

    expect(employer.locator(".job-status-banner")).to_contain_text("Preview.")
    expect(employer.locator("h1")).to_have_text("Remote professional fee coder")
    expect(employer.locator(".job-text strong")).to_have_text("coding team")
    expect(employer.locator(".job-text")).to_contain_text("<script>alert('x')</script>")  # shown as text
    employer.get_by_role("button", name="Submit for review").click()
    expect(employer.locator(".messages")).to_contain_text("Submitted for review")
    expect(employer.locator(".job-table")).to_contain_text("In review")
    shoot(employer, "dashboard")

    # Staff approve it from the queue.
    staff = logged_in_tab(chromium, live_server, make_account("mod@codeahead.example", is_staff=True))
    staff.goto("/jobs/moderate/")
    shoot(staff, "moderate")
    staff.get_by_role("link", name="Remote professional fee coder").click()
    shoot(staff, "moderate-job")
    staff.get_by_role("button", name="Approve").click()
    expect(staff.locator(".messages")).to_contain_text("Approved “Remote professional fee coder”")
    (approval,) = sent_emails()
    assert approval.to == ["hiring@lakeside.example"]
    mail.outbox.clear()

    # A coder looks for remote CPC work.
    coder = logged_in_tab(chromium, live_server, make_account("coder@example.com"))
    coder.goto("/jobs/")
    expect(coder.locator(".job-list .job-row")).to_have_count(3)
    coder.get_by_label("CPC", exact=True).check()
    coder.get_by_label("Remote").check()
    coder.get_by_role("button", name="Show jobs").click()
    expect(coder).to_have_url(re.compile(r"/jobs/\?.*credential=CPC.*setting=remote"))
    rows = coder.locator(".job-list .job-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Remote professional fee coder")
    expect(rows.first).to_contain_text("$27–$32 per hour")
    shoot(coder, "list")

    # The address is a bookmark: opened fresh, it shows the same search.
    bookmarked = coder.url
    coder.goto(bookmarked)
    expect(coder.get_by_label("CPC", exact=True)).to_be_checked()
    expect(coder.locator(".job-list .job-row")).to_have_count(1)

    coder.get_by_label("Daily").check()
    coder.get_by_role("button", name="Save this search").click()
    expect(coder.locator(".messages")).to_contain_text("Search saved")
    expect(coder.locator(".saved-list")).to_contain_text("CPC · Remote")

    coder.goto(bookmarked)
    coder.get_by_role("link", name="Remote professional fee coder").click()
    expect(coder.locator("h1")).to_have_text("Remote professional fee coder")
    job_url = coder.url
    shoot(coder, "job-page")

    # The digest arrives with the job, and only that job.
    send_job_alerts()
    (digest,) = sent_emails()
    assert digest.to == ["coder@example.com"]
    assert "Remote professional fee coder" in digest.body
    assert "On-site CPC coder" not in digest.body and "Remote CCS inpatient coder" not in digest.body
    link = re.search(r"http://127\.0\.0\.1:8000(/jobs/\d+/[\w-]+/)", digest.body).group(1)
    coder.goto(link)
    expect(coder.locator("h1")).to_have_text("Remote professional fee coder")
    assert coder.url == job_url

    # Thirty days on, the job expires and leaves the list; its page says so.
    expire_jobs(now=timezone.now() + timedelta(days=31))
    coder.goto(bookmarked)
    expect(coder.locator(".job-list")).to_contain_text("No open jobs match")
    coder.goto(job_url)
    expect(coder.locator(".job-expired")).to_contain_text("This job is closed.")
    expect(coder.get_by_role("link", name=re.compile("Apply on"))).to_have_count(0)

    for tab in (employer, staff, coder):
        tab.context.close()
