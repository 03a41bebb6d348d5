"""Who may open each page: an employer touches only their own jobs; moderators moderate."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from jobs.models import Job, SavedSearch
from tests.factories import make_account
from tests.jobs.conftest import make_employer, make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    owner = make_employer("owner@clinic.example")
    other = make_employer("other@hospital.example", organisation="Other Hospital")
    staff = make_account("staff@codeahead.example", is_staff=True)
    coder = make_account("coder@example.com")
    return {"owner": owner.user, "other": other.user, "staff": staff, "coder": coder, "employer": owner}


OWNER_URLS = [
    ("get", "/jobs/{pk}/edit/"),
    ("post", "/jobs/{pk}/edit/"),
    ("post", "/jobs/{pk}/submit/"),
    ("get", "/jobs/{pk}/renew/"),
    ("post", "/jobs/{pk}/renew/"),
    ("get", "/jobs/{pk}/remove/"),
    ("post", "/jobs/{pk}/remove/"),
]


@pytest.mark.parametrize(("method", "url"), OWNER_URLS)
@pytest.mark.parametrize("status", ["draft", "approved", "rejected"])
def test_another_employer_gets_404_and_changes_nothing(client, people, method, url, status):
    job = make_job(people["employer"], status=status)
    before = Job.objects.values().get(pk=job.pk)
    client.force_login(people["other"])
    response = getattr(client, method)(url.format(pk=job.pk), {"title": "Hijacked"})
    assert response.status_code == 404
    assert Job.objects.values().get(pk=job.pk) == before


@pytest.mark.parametrize("who", ["coder", "staff"])
@pytest.mark.parametrize(("method", "url"), OWNER_URLS)
def test_a_non_employer_gets_404(client, people, method, url, who):
    job = make_job(people["employer"], status="approved")
    client.force_login(people[who])
    assert getattr(client, method)(url.format(pk=job.pk)).status_code == 404


@pytest.mark.parametrize(("method", "url"), OWNER_URLS)
def test_a_guest_is_sent_to_log_in(client, people, method, url):
    job = make_job(people["employer"], status="approved")
    response = getattr(client, method)(url.format(pk=job.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/jobs/{pk}/edit/", "/jobs/{pk}/renew/", "/jobs/{pk}/remove/"])
def test_the_owner_may(client, people, url):
    job = make_job(people["employer"], status="approved")
    client.force_login(people["owner"])
    assert client.get(url.format(pk=job.pk)).status_code == 200


@pytest.mark.parametrize("status", ["draft", "review", "rejected", "removed"])
@pytest.mark.parametrize(
    ("who", "code"), [(None, 404), ("coder", 404), ("other", 404), ("owner", 200), ("staff", 200)]
)
def test_an_unpublished_job_page(client, people, status, who, code):
    job = make_job(people["employer"], status=status, title="Secret draft")
    if who:
        client.force_login(people[who])
    response = client.get(job.get_absolute_url())
    assert response.status_code == code
    if code == 404:
        assert "Secret draft" not in response.content.decode()


def test_dashboard_lists_only_your_jobs(client, people):
    make_job(people["employer"], title="The owner job")
    make_job(people["other"].employer, title="The other job", status="draft")
    client.force_login(people["other"])
    html = client.get("/jobs/dashboard/").content.decode()
    assert "The other job" in html and "The owner job" not in html


def test_dashboard_without_a_profile_asks_for_one(client, people):
    client.force_login(people["coder"])
    response = client.get("/jobs/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/jobs/employer/")


MODERATION_URLS = [
    ("get", "/jobs/moderate/"),
    ("get", "/jobs/moderate/{pk}/"),
    ("post", "/jobs/moderate/{pk}/"),
    ("post", "/jobs/moderate/employers/{employer}/verify/"),
]


@pytest.mark.parametrize(("method", "url"), MODERATION_URLS)
@pytest.mark.parametrize(("who", "code"), [(None, 302), ("coder", 403), ("owner", 403)])
def test_moderation_is_for_moderators_only(client, people, method, url, who, code):
    job = make_job(people["employer"], status="review")
    if who:
        client.force_login(people[who])
    response = getattr(client, method)(
        url.format(pk=job.pk, employer=people["employer"].pk), {"decision": "approve"}
    )
    assert response.status_code == code
    job.refresh_from_db()
    assert job.status == "review"


@pytest.mark.parametrize(("method", "url"), MODERATION_URLS[:2])
def test_a_moderator_by_permission_may(client, people, method, url):
    job = make_job(people["employer"], status="review")
    coder = people["coder"]
    coder.user_permissions.add(Permission.objects.get(codename="moderate_job"))
    client.force_login(coder)
    assert getattr(client, method)(url.format(pk=job.pk)).status_code == 200


def test_saved_searches_are_private(client, people):
    mine = SavedSearch.objects.create(user=people["coder"], name="My remote CPC", query="credential=CPC")
    client.force_login(people["other"])
    assert "My remote CPC" not in client.get("/jobs/saved/").content.decode()
    assert client.post(f"/jobs/saved/{mine.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=mine.pk).exists()
    assert client.get("/jobs/saved/").status_code == 200
