"""People and jobs for the job board's tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobs.models import Employer, Job
from tests.factories import make_account


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """These tests make many accounts; a slow hash proves nothing here (accounts' tests use the real one)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_employer(
    email: str = "hr@clinic.example", *, verified: bool = True, organisation: str = "Lakeside Clinic"
):
    user = make_account(email)
    return Employer.objects.create(
        user=user,
        organisation=organisation,
        website="https://clinic.example",
        contact_name="Pat Hiring",
        contact_email=email,
        verified_at=timezone.now() if verified else None,
    )


JOB_DEFAULTS = {
    "title": "Remote outpatient coder",
    "description": "Code **outpatient** visits for a busy clinic.\n\n- ICD-10-CM\n- CPT",
    "requirements": "Two years of coding.",
    "credentials": ["CPC"],
    "setting": "remote",
    "city": "",
    "state": "",
    "employment_type": "full-time",
    "experience": "mid",
    "specialty": "outpatient",
    "salary_min": Decimal("25.00"),
    "salary_max": Decimal("30.00"),
    "salary_period": "hour",
    "apply_url": "https://clinic.example/careers/42",
}


def make_job(
    employer: Employer, *, status: str = "approved", days_open: int = 30, approved_ago: int = 0, **fields
) -> Job:
    """A job in any state; approved ones are posted `approved_ago` days ago and open `days_open` more."""
    now = timezone.now()
    values = {**JOB_DEFAULTS, **fields}
    job = Job(employer=employer, status=status, **values)
    if status in ("approved", "expired"):
        job.approved_at = now - timedelta(days=approved_ago)
        job.expires_at = now + timedelta(days=days_open)
    job.save()
    return job


@pytest.fixture
def employer(db):
    return make_employer()


JOB_FORM = {
    "title": "Remote CPC coder",
    "description": "Code professional fee claims.",
    "requirements": "",
    "credentials": ["CPC", "CCS-P"],
    "setting": "remote",
    "city": "",
    "state": "",
    "employment_type": "full-time",
    "experience": "mid",
    "specialty": "professional",
    "salary_min": "52000",
    "salary_max": "65000",
    "salary_period": "year",
    "apply_url": "https://clinic.example/apply",
    "apply_email": "",
}
