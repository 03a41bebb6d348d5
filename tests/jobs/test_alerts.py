"""Saved searches, their email digests, the unsubscribe link, and search feeds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from jobs.alerts import send_job_alerts, unsubscribe_token
from jobs.models import SavedSearch
from tests.factories import make_account
from tests.jobs.conftest import make_employer, make_job
from tests.outbox import sent_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def coder(db):
    return make_account("coder@example.com")


def test_saving_a_search_keeps_its_filters_in_order(client, coder):
    client.force_login(coder)
    response = client.post(
        "/jobs/saved/",
        {
            "name": "Remote CPC",
            "frequency": "weekly",
            "query": "setting=remote&credential=CPC&page=3&bogus=1&state=ZZ",
        },
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get(user=coder)
    assert search.query == "credential=CPC&setting=remote"  # the page and bad values left out
    assert search.frequency == "weekly"
    listed = client.get("/jobs/saved/").content.decode()
    assert 'href="/jobs/?credential=CPC&amp;setting=remote"' in listed


def test_a_search_in_any_script_is_saved_whole(client, coder):
    client.force_login(coder)
    words = "编码员" * 66  # 198 characters, nine times as long once in an address
    response = client.post("/jobs/saved/", {"name": "Mine", "frequency": "daily", "query": f"q={words}"})
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert len(search.query) > 1000
    assert client.get(search.get_absolute_url()).context["form"].cleaned_data["q"] == words


def test_at_most_ten_saved_searches(client, coder):
    client.force_login(coder)
    for number in range(10):
        client.post(
            "/jobs/saved/", {"name": f"Search {number}", "frequency": "daily", "query": f"q=coder{number}"}
        )
    response = client.post("/jobs/saved/", {"name": "One more", "frequency": "daily", "query": "q=more"})
    assert "You can keep 10 saved searches." in response.content.decode()
    assert SavedSearch.objects.filter(user=coder).count() == 10


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "frequency": "daily", "query": ""},
        {"name": "x" * 121, "frequency": "daily", "query": ""},
        {"name": "Mine", "frequency": "hourly", "query": ""},
        {"name": "Mine\x00", "frequency": "daily", "query": ""},
        {"name": "Mine", "frequency": "daily", "query": "q=" + "x" * 2000},
    ],
)
def test_a_bad_saved_search_is_refused_with_a_message(client, coder, data):
    client.force_login(coder)
    response = client.post("/jobs/saved/", data)
    assert response.status_code == 400
    assert "That search could not be saved" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_digest_sends_matching_jobs_once(coder):
    employer = make_employer()
    cpc = make_job(employer, title="Remote CPC coder", credentials=["CPC"])
    make_job(employer, title="On-site CPC coder", setting="on-site", city="Reno", state="NV")
    make_job(employer, title="Remote CRC coder", credentials=["CRC"])
    search = SavedSearch.objects.create(user=coder, name="Remote CPC", query="credential=CPC&setting=remote")
    # A second search finding the same job never sends it again.
    SavedSearch.objects.create(user=coder, name="CPC anywhere", query="credential=CPC", frequency="weekly")

    now = timezone.now()
    run = send_job_alerts(now=now)
    assert (run.searches, run.emails) == (2, 2)
    first, second = sorted(sent_emails(), key=lambda message: message.subject)
    assert first.to == ["coder@example.com"]
    assert first.subject == "1 new job for “CPC anywhere”"
    assert second.subject == "1 new job for “Remote CPC”"
    assert "On-site CPC coder" in first.body and "Remote CPC coder" not in first.body
    assert "Remote CPC coder" in second.body
    assert "Remote CRC coder" not in first.body + second.body
    assert first.alternatives[0][1] == "text/html"

    # Not due again the same day; the next day only new jobs are sent.
    assert send_job_alerts(now=now + timedelta(hours=2)).searches == 0
    newer = make_job(employer, title="Second remote CPC job", credentials=["CPC"])
    mail.outbox.clear()
    run = send_job_alerts(now=now + timedelta(days=1))
    assert run.searches == 1  # the weekly one waits its week
    (message,) = sent_emails()
    assert "Second remote CPC job" in message.body and "Remote CPC coder" not in message.body
    assert f"/jobs/{newer.pk}/second-remote-cpc-job/" in message.body
    assert cpc.pk  # the first job stayed open: it was simply not sent twice

    mail.outbox.clear()
    assert send_job_alerts(now=now + timedelta(days=2)).emails == 0  # nothing new: no email
    assert sent_emails() == []
    search.refresh_from_db()
    assert search.last_sent_at == now + timedelta(days=2)


def test_digest_leaves_out_closed_jobs(coder):
    employer = make_employer()
    make_job(employer, title="Expired CPC", days_open=-1)
    make_job(employer, title="Waiting CPC", status="review")
    SavedSearch.objects.create(user=coder, name="CPC", query="credential=CPC")
    assert send_job_alerts().emails == 0


def test_command_reports(coder, capsys):
    make_job(make_employer())
    SavedSearch.objects.create(user=coder, name="All", query="")
    call_command("send_job_alerts")
    assert "1 searches due; 1 digests sent with 1 jobs." in capsys.readouterr().out


def test_unsubscribe_link_needs_no_log_in_and_stops_the_emails(client, coder):
    make_job(make_employer())
    search = SavedSearch.objects.create(user=coder, name="All jobs", query="")
    send_job_alerts()
    (message,) = sent_emails()
    link = re.search(r"http://127\.0\.0\.1:8000(/jobs/unsubscribe/\S+/)", message.body).group(1)
    assert link == f"/jobs/unsubscribe/{unsubscribe_token(search)}/"

    page = client.get(link)
    assert page.status_code == 200
    assert "You are unsubscribed" in page.content.decode()
    search.refresh_from_db()
    assert not search.alerts_on

    make_job(make_employer("b@b.example"), title="Another")
    mail.outbox.clear()
    assert send_job_alerts(now=timezone.now() + timedelta(days=1)).emails == 0

    resumed = client.post(link, {"resume": "1"})
    assert "Emails resumed" in resumed.content.decode()
    search.refresh_from_db()
    assert search.alerts_on


@pytest.mark.parametrize("token", ["nonsense", "1", "MQ:1tXXXX:forged", "%00", "x" * 5000])
def test_a_forged_unsubscribe_token_is_a_404(client, coder, token):
    search = SavedSearch.objects.create(user=coder, name="All jobs", query="")
    assert client.get(f"/jobs/unsubscribe/{token}/").status_code == 404
    assert client.post(f"/jobs/unsubscribe/{token}/").status_code == 404
    search.refresh_from_db()
    assert search.alerts_on


def test_feed_of_a_search(client):
    employer = make_employer()
    make_job(employer, title="Remote CPC coder", description="Code <b>visits</b> & more")
    make_job(employer, title="On-site coder", setting="on-site", city="Reno", state="NV")
    make_job(employer, title="Expired remote job", days_open=-1)
    response = client.get("/jobs/feed/?setting=remote&credential=CPC&pay_min=bad")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert [entry.find("a:title", ns).text for entry in entries] == ["Remote CPC coder — Lakeside Clinic"]
    assert "Code <b>visits</b> & more" in entries[0].find("a:summary", ns).text
    link = root.find("a:link[@rel='alternate']", ns).get("href")
    assert link.endswith("/jobs/?credential=CPC&setting=remote")


def test_digest_html_escapes_what_employers_typed(coder):
    make_job(make_employer(organisation="<b>Bold</b> Co"), title="<script>alert(1)</script> coder")
    SavedSearch.objects.create(user=coder, name="All <i>jobs</i>", query="")
    send_job_alerts()
    (message,) = sent_emails()
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; coder" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; Co" in html
    # The plain-text part is plain: no HTML entities.
    assert "<script>alert(1)</script> coder" in message.body
    assert message.subject == "1 new job for “All <i>jobs</i>”"
