"""schema.org JobPosting on open job pages, and the sitemap."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from jobs.sitemaps import JobSitemap
from tests.jobs.conftest import make_employer, make_job

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_remote_job_posting_has_every_field(client):
    job = make_job(make_employer(), title="Remote CPC coder", state="FL", credentials=["CPC"])
    (data,) = json_ld(client.get(job.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Remote CPC coder"
    assert "<strong>outpatient</strong>" in data["description"]
    assert data["datePosted"] == job.approved_at.date().isoformat()
    assert data["validThrough"] == job.expires_at.isoformat()
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Lakeside Clinic",
        "sameAs": "https://clinic.example",
    }
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "State", "name": "Florida"}
    assert "jobLocation" not in data
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"@type": "QuantitativeValue", "minValue": 25.0, "maxValue": 30.0, "unitText": "HOUR"},
    }
    assert data["url"] == "http://127.0.0.1:8000" + job.get_absolute_url()


def test_remote_anywhere_in_the_country(client):
    job = make_job(make_employer())
    (data,) = json_ld(client.get(job.get_absolute_url()).content.decode())
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "USA"}


def test_on_site_job_posting_has_its_place(client):
    job = make_job(
        make_employer(),
        setting="on-site",
        city="Columbus",
        state="OH",
        employment_type="per-diem",
        salary_min=Decimal("52000"),
        salary_max=Decimal("60000"),
        salary_period="year",
    )
    (data,) = json_ld(client.get(job.get_absolute_url()).content.decode())
    assert data["jobLocation"] == {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Columbus",
            "addressRegion": "OH",
            "addressCountry": "US",
        },
    }
    assert "jobLocationType" not in data
    assert data["employmentType"] == "PER_DIEM"
    assert data["baseSalary"]["value"]["unitText"] == "YEAR"


def test_text_cannot_close_the_script(client):
    employer = make_employer(organisation="</script><script>alert(1)</script>")
    job = make_job(employer, title="Coder </script><b>x")
    html = client.get(job.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</" not in block and "<" not in block
    (data,) = json_ld(html)
    assert data["hiringOrganization"]["name"] == "</script><script>alert(1)</script>"
    assert data["title"] == "Coder </script><b>x"


def test_no_job_posting_once_expired(client):
    job = make_job(make_employer(), days_open=-1)
    html = client.get(job.get_absolute_url()).content.decode()
    assert json_ld(html) == []
    assert '<meta name="robots" content="noindex">' in html


def test_sitemap_lists_open_jobs_only():
    employer = make_employer()
    open_job = make_job(employer, title="Open")
    make_job(employer, title="Gone", days_open=-1)
    make_job(employer, title="Expired", status="expired", days_open=-3)
    make_job(employer, title="Waiting", status="review")
    make_job(employer, title="Removed", status="removed")
    sitemap = JobSitemap()
    assert [sitemap.location(job) for job in sitemap.items()] == [open_job.get_absolute_url()]
