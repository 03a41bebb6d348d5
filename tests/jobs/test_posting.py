"""Employers post, moderators review, jobs expire and renew; emails at each step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from jobs import actions
from jobs.models import Employer, Job
from tests.factories import make_account
from tests.jobs.conftest import JOB_FORM, make_employer, make_job
from tests.outbox import sent_emails

pytestmark = pytest.mark.django_db


def test_employer_profile_is_made_then_verified_by_staff(client):
    user = make_account("hr@clinic.example")
    client.force_login(user)
    bad = client.post(
        "/jobs/employer/",
        {"organisation": "", "website": "not a site", "contact_name": "Pat", "contact_email": "x"},
    )
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"organisation", "website", "contact_email"}
    response = client.post(
        "/jobs/employer/",
        {
            "organisation": "Lakeside Clinic",
            "website": "clinic.example",
            "contact_name": "Pat",
            "contact_email": "hr@clinic.example",
        },
    )
    assert response.status_code == 302
    employer = Employer.objects.get(user=user)
    assert employer.website == "https://clinic.example" and not employer.is_verified

    staff = make_account("staff@codeahead.example", is_staff=True)
    client.force_login(staff)
    assert "Lakeside Clinic" in client.get("/jobs/moderate/").content.decode()
    client.post(f"/jobs/moderate/employers/{employer.pk}/verify/")
    employer.refresh_from_db()
    assert employer.is_verified and employer.verified_by == staff


def test_renaming_a_verified_employer_asks_for_verification_again(client):
    employer = make_employer()
    client.force_login(employer.user)
    client.post(
        "/jobs/employer/",
        {
            "organisation": "Totally Legit Co",
            "website": "https://clinic.example",
            "contact_name": "Pat",
            "contact_email": "hr@clinic.example",
        },
    )
    employer.refresh_from_db()
    assert not employer.is_verified


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": "x" * 10_001}, "description", "at most 10000 characters"),
        ({"requirements": "x" * 10_001}, "requirements", "at most 10000 characters"),
        ({"title": "Coder\x00"}, "title", "Null characters are not allowed."),
        ({"description": "Nice\x00job"}, "description", "Null characters are not allowed."),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 121}, "title", "at most 120 characters"),
        ({"salary_min": "70000", "salary_max": "50000"}, "salary_max", "at least its bottom"),
        ({"salary_min": "lots"}, "salary_min", "Enter a number."),
        ({"salary_min": "-5"}, "salary_min", "greater than or equal to 0"),
        ({"salary_max": "1e400"}, "salary_max", "no more than 10 digits"),
        ({"salary_max": ""}, "salary_max", "This field is required."),
        ({"salary_period": "fortnight"}, "salary_period", "Select a valid choice."),
        ({"apply_url": "not a url"}, "apply_url", "Enter a valid URL."),
        ({"apply_url": "javascript:alert(1)"}, "apply_url", "Enter a valid URL."),
        ({"apply_url": "ftp://clinic.example/x"}, "apply_url", "starting with https://"),
        ({"apply_url": "", "apply_email": "nobody"}, "apply_email", "Enter a valid email address."),
        ({"apply_url": "", "apply_email": ""}, "apply_url", "Say how to apply"),
        ({"apply_email": "jobs@clinic.example"}, "apply_email", "not both"),
        ({"credentials": ["CPC", "PhD"]}, "credentials", "Select a valid choice."),
        ({"setting": "on-site"}, "city", "needs its city and state"),
        ({"state": "ZZ"}, "state", "Select a valid choice."),
        ({"employment_type": ""}, "employment_type", "This field is required."),
    ],
)
def test_bad_input_is_a_form_error_and_keeps_what_was_typed(client, changes, field, message):
    employer = make_employer()
    client.force_login(employer.user)
    response = client.post("/jobs/post/", {**JOB_FORM, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert not Job.objects.exists()
    if field != "title" and "\x00" not in JOB_FORM["title"]:
        assert 'value="Remote CPC coder"' in response.content.decode()  # nothing typed is lost


def test_an_unverified_employers_job_waits_for_review_then_is_approved(client, settings):
    settings.JOBS_MODERATION_EMAIL = ["jobs@codeahead.example"]
    employer = make_employer(verified=False)
    client.force_login(employer.user)
    response = client.post("/jobs/post/", JOB_FORM)
    job = Job.objects.get()
    assert job.status == "draft"
    assert response["Location"] == job.get_absolute_url()
    preview = client.get(job.get_absolute_url()).content.decode()
    assert "Preview." in preview and "Submit for review" in preview
    assert client.get("/jobs/").context["page"].paginator.count == 0

    client.post(f"/jobs/{job.pk}/submit/")
    job.refresh_from_db()
    assert job.status == "review"
    (waiting,) = sent_emails()
    assert waiting.to == ["jobs@codeahead.example"]
    assert waiting.subject == "To review: “Remote CPC coder” from Lakeside Clinic (unverified)"
    assert f"http://127.0.0.1:8000/jobs/moderate/{job.pk}/" in waiting.body
    mail.outbox.clear()
    assert client.get("/jobs/").context["page"].paginator.count == 0

    staff = make_account("staff@codeahead.example", is_staff=True)
    client.force_login(staff)
    assert "Remote CPC coder" in client.get("/jobs/moderate/").content.decode()
    client.post(f"/jobs/moderate/{job.pk}/", {"decision": "approve"})
    job.refresh_from_db()
    assert job.status == "approved" and job.reviewed_by == staff
    assert job.expires_at - job.approved_at == timedelta(days=30)
    (message,) = sent_emails()
    assert message.to == ["hr@clinic.example"]
    assert message.subject == "Your job “Remote CPC coder” is on CodeAhead’s CareerCenter"
    assert "http://127.0.0.1:8000" + job.get_absolute_url() in message.body
    assert client.get("/jobs/").context["page"].paginator.count == 1


def test_a_verified_employers_job_is_published_on_submit(client, settings):
    settings.JOBS_EXPIRE_DAYS = 45
    employer = make_employer(verified=True)
    client.force_login(employer.user)
    client.post("/jobs/post/", JOB_FORM)
    job = Job.objects.get()
    client.post(f"/jobs/{job.pk}/submit/")
    job.refresh_from_db()
    assert job.status == "approved"
    assert job.expires_at - job.approved_at == timedelta(days=45)
    assert len(sent_emails()) == 1
    assert "Remote CPC coder" in client.get("/jobs/").content.decode()


def test_rejection_needs_a_reason_and_emails_it(client):
    job = make_job(make_employer(verified=False), status="review")
    client.force_login(make_account("staff@codeahead.example", is_staff=True))
    empty = client.post(f"/jobs/moderate/{job.pk}/", {"decision": "reject", "reason": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    job.refresh_from_db()
    assert job.status == "review"
    client.post(f"/jobs/moderate/{job.pk}/", {"decision": "reject", "reason": "Pay must be a real range."})
    job.refresh_from_db()
    assert job.status == "rejected" and job.rejection_reason == "Pay must be a real range."
    (message,) = sent_emails()
    assert "Pay must be a real range." in message.body and "was not approved" in message.subject
    # The employer sees the reason, edits, and submits again.
    client.force_login(job.employer.user)
    assert "Pay must be a real range." in client.get("/jobs/dashboard/").content.decode()
    client.post(f"/jobs/{job.pk}/submit/")
    job.refresh_from_db()
    assert job.status == "review" and job.rejection_reason == ""


def test_approving_twice_or_a_draft_is_refused(client):
    job = make_job(make_employer(), status="draft")
    with pytest.raises(actions.NotAllowed):
        actions.approve_job(job=job, moderator=None)
    client.force_login(make_account("staff@codeahead.example", is_staff=True))
    response = client.post(f"/jobs/moderate/{job.pk}/", {"decision": "approve"}, follow=True)
    assert "Only a job in review can be approved." in response.content.decode()
    job.refresh_from_db()
    assert job.status == "draft"


def test_editing_a_public_job_takes_it_off_the_board_until_submitted(client):
    job = make_job(make_employer())
    client.force_login(job.employer.user)
    client.post(f"/jobs/{job.pk}/edit/", {**JOB_FORM, "title": "Remote CPC coder, now senior"})
    job.refresh_from_db()
    assert job.status == "draft" and job.title == "Remote CPC coder, now senior"
    assert client.get("/jobs/").context["page"].paginator.count == 0


def test_a_wrong_slug_redirects_permanently(client):
    job = make_job(make_employer(), title="Remote CPC coder")
    response = client.get(f"/jobs/{job.pk}/old-title/")
    assert response.status_code == 301 and response["Location"] == f"/jobs/{job.pk}/remote-cpc-coder/"
    assert client.get(f"/jobs/{job.pk + 100}/remote-cpc-coder/").status_code == 404
    assert client.get("/jobs/abc/remote-cpc-coder/").status_code == 404
    assert client.get("/jobs/99999999999999999999999/remote-cpc-coder/").status_code == 404
    # A control character in the path is the site-wide guard's 404 (codeahead.middleware).
    assert client.get(f"/jobs/{job.pk}/%00/").status_code == 404
    client.force_login(job.employer.user)
    assert client.get("/jobs/99999999999999999999999/edit/").status_code == 404


def test_a_title_named_like_an_action_gets_its_own_page(client):
    job = make_job(make_employer(), title="Edit")
    assert job.get_absolute_url() == f"/jobs/{job.pk}/edit-job/"
    assert client.get(job.get_absolute_url()).status_code == 200


def test_posting_is_limited_per_account(client, settings):
    settings.JOBS_POSTS_PER_DAY_PER_ACCOUNT = 2
    employer = make_employer()
    client.force_login(employer.user)
    assert client.post("/jobs/post/", JOB_FORM).status_code == 302
    assert client.post("/jobs/post/", JOB_FORM).status_code == 302
    refused = client.post("/jobs/post/", JOB_FORM)
    assert refused.status_code == 429
    assert "You can post 2 jobs a day." in refused.content.decode()
    assert Job.objects.count() == 2


def test_posting_is_limited_per_client_address(client, settings):
    settings.JOBS_POSTS_PER_DAY_PER_ADDRESS = 1
    for email in ("one@a.example", "two@b.example"):
        employer = make_employer(email)
        client.force_login(employer.user)
        response = client.post("/jobs/post/", JOB_FORM, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Too many jobs were posted from your address today." in response.content.decode()
    # Another address may still post.
    assert client.post("/jobs/post/", JOB_FORM, REMOTE_ADDR="198.51.100.1").status_code == 302
    assert Job.objects.count() == 2
    assert "203.0.113.7" not in Job.objects.values_list("created_from", flat=True)[0]


def test_expire_jobs_reminds_then_expires_and_the_page_says_so(client, settings):
    settings.JOBS_EXPIRY_REMINDER_DAYS = 5
    employer = make_employer()
    soon = make_job(employer, title="Expiring soon", days_open=3)
    later = make_job(employer, title="Open a while", days_open=20)
    call_command("expire_jobs")
    (reminder,) = sent_emails()
    assert reminder.subject.startswith("Your job “Expiring soon” expires on")
    assert f"http://127.0.0.1:8000/jobs/{soon.pk}/renew/" in reminder.body
    call_command("expire_jobs")
    assert len(sent_emails()) == 1  # reminded once

    run = actions.expire_jobs(now=timezone.now() + timedelta(days=4))
    assert run.expired == 1
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.status == "expired" and later.status == "approved"

    page = client.get(soon.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "This job is closed." in html and "How to apply" not in html
    listed = client.get("/jobs/").content.decode()
    assert "Expiring soon" not in listed and "Open a while" in listed


def test_an_approved_job_leaves_the_list_at_its_date_even_before_expire_jobs(client):
    job = make_job(make_employer(), days_open=-1)
    assert job.status == "approved"
    assert client.get("/jobs/").context["page"].paginator.count == 0
    assert "This job is closed." in client.get(job.get_absolute_url()).content.decode()


def test_renewing(client, settings):
    settings.JOBS_EXPIRE_DAYS = 30
    verified = make_job(make_employer(), status="expired", days_open=-2)
    client.force_login(verified.employer.user)
    client.post(f"/jobs/{verified.pk}/renew/")
    verified.refresh_from_db()
    assert verified.status == "approved"
    assert verified.expires_at > timezone.now() + timedelta(days=29)

    unverified = make_job(
        make_employer("new@startup.example", verified=False), status="expired", days_open=-2
    )
    client.force_login(unverified.employer.user)
    client.post(f"/jobs/{unverified.pk}/renew/")
    unverified.refresh_from_db()
    assert unverified.status == "review"


def test_removing_your_job(client):
    job = make_job(make_employer())
    client.force_login(job.employer.user)
    client.post(f"/jobs/{job.pk}/remove/")
    job.refresh_from_db()
    assert job.status == "removed"
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organisation": "x" * 10_000}, "organisation"),
        ({"organisation": "Clinic\x00"}, "organisation"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "https://" + "a" * 400 + ".example"}, "website"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"contact_name": ""}, "contact_name"),
    ],
)
def test_employer_profile_bad_input_is_a_form_error(client, changes, field):
    client.force_login(make_account("hr@clinic.example"))
    data = {
        "organisation": "Lakeside Clinic",
        "website": "https://clinic.example",
        "contact_name": "Pat",
        "contact_email": "hr@clinic.example",
    }
    response = client.post("/jobs/employer/", {**data, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Employer.objects.exists()
