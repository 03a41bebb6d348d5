from __future__ import annotations

import pytest

from tests.factories import make_account
from tests.jobs.conftest import make_employer, make_job

pytestmark = pytest.mark.django_db


def test_admin_lists_and_edits_jobs_and_employers(client):
    employer = make_employer(verified=False)
    job = make_job(employer, title="Remote CPC coder")
    client.force_login(make_account("admin@codeahead.example", is_staff=True, is_superuser=True))
    assert "Remote CPC coder" in client.get("/admin/jobs/job/").content.decode()
    assert client.get(f"/admin/jobs/job/{job.pk}/change/").status_code == 200
    assert client.get("/admin/jobs/savedsearch/").status_code == 200
    assert "Lakeside Clinic" in client.get("/admin/jobs/employer/").content.decode()
    client.post("/admin/jobs/employer/", {"action": "verify", "_selected_action": [employer.pk]})
    employer.refresh_from_db()
    assert employer.is_verified
