"""The site works in Chromium under its Content-Security-Policy, and breaks none of it (issue 17).

Every page a person reaches is opened, and what it does is done (typing into search, asking
CasePilot, editing in the admin), while every CSP violation the browser reports (console
messages and securitypolicyviolation events) is collected: there must be none.
"""

from __future__ import annotations

import pytest
from django.test import Client

from jobs.models import Job
from lookup.models import Code
from tests.billing.conftest import SAMPLE_2025, import_fee_schedule
from tests.factories import make_account
from tests.jobs.conftest import make_employer, make_job

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_codes_live")]

# Playwright's init scripts run outside the page's policy: this one only listens.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Tab:
    """A browser tab that keeps every CSP complaint of every page it opens."""

    def __init__(self, chromium, live_server, *, user=None) -> None:
        self.context = chromium.new_context(base_url=live_server.url)
        if user is not None:
            client = Client()
            client.force_login(user)
            self.context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.violations: list[str] = []
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text or "Refused to" in text:
            self.violations.append(f"console: {text}")

    def collect(self) -> None:
        self.violations += [f"{self.page.url}: {v}" for v in self.page.evaluate("window.__violations || []")]

    def open(self, path: str):
        self.collect()
        response = self.page.goto(path)
        assert response is not None and response.status < 400, (path, response and response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]
        return response

    def close(self) -> list[str]:
        self.collect()
        self.context.close()
        return self.violations


@pytest.fixture
def staff():
    return make_account("staff@example.com", verified=True, is_staff=True, is_superuser=True)


def test_main_pages_run_under_the_policy_without_a_violation(chromium, live_server, staff):
    import_fee_schedule(path=SAMPLE_2025)
    job = make_job(make_employer())
    assert Job.objects.filter(pk=job.pk, status="approved").exists()
    tab = Tab(chromium, live_server, user=staff)
    page = tab.page

    tab.open("/")
    # Search with suggestions: htmx fetches them as the reader types.
    page.get_by_label("Search by code, range or words").fill("diabet")  # the home page's own box
    page.locator("#home-suggest a.result").first.wait_for()
    assert page.evaluate("document.querySelectorAll('style').length") == 0  # htmx injected no styles
    page.keyboard.press("ArrowDown")
    tab.open("/search?q=type+2+diabetes")
    page.locator("#search-results a.result").first.wait_for()

    tab.open("/icd-10-cm/E11.9/")
    assert "Type 2 diabetes mellitus without complications" in page.inner_text("h1")
    tab.open("/cpt/77307/")
    # CasePilot, asked from the page it opened.
    tab.open("/casepilot/")
    page.get_by_label("Your question").fill("What is E11.9?")
    page.get_by_role("button", name="Ask", exact=True).click()
    page.locator(".cp-answer").first.wait_for()

    for path in ["/consultant/", "/consultant/ask/", "/consultant/kb/", "/jobs/", job.get_absolute_url()]:
        tab.open(path)
    assert page.locator('script[type="application/ld+json"]').count() == 1  # a data block, not run

    # The admin: its list, a code's change page (a save included), its history; the API docs.
    code = Code.objects.get(key="E119")
    tab.open("/admin/")
    tab.open("/admin/lookup/code/?q=e11")
    tab.open(f"/admin/lookup/code/{code.pk}/change/")
    page.get_by_label("Title:").fill("Type 2 diabetes mellitus without complications (edited)")
    page.get_by_label("Reason for this change").fill("Checking the admin under the policy")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()
    page.get_by_role("link", name="History").first.click()
    page.wait_for_url("**/history/")
    for path in ["/accounts/email/", "/accounts/password/change/", "/api/keys/", "/api/v1/docs"]:
        tab.open(path)
    page.locator("#swagger-ui .info").wait_for()

    assert tab.close() == []


def test_guest_pages_and_allauth_run_under_the_policy(chromium, live_server):
    tab = Tab(chromium, live_server)
    page = tab.page
    make_account("known@example.com", verified=True)

    tab.open("/accounts/signup/")
    tab.open("/accounts/login/")
    page.get_by_label("Email").fill("known@example.com")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert "known@example.com" in page.inner_text("header")
    tab.open("/icd-10-cm/E11.9/")
    tab.open("/accounts/password/reset/")

    assert tab.close() == []
