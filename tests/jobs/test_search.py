"""The job list: filters, full-text search, sorting, pages, and bad values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.jobs.conftest import make_employer, make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(db):
    """Five open jobs that differ in one filter each, one expired and one in review."""
    employer = make_employer()
    jobs = {
        "remote_cpc": make_job(employer, title="Remote CPC coder", credentials=["CPC"], approved_ago=5),
        "hybrid_ccs": make_job(
            employer,
            title="Inpatient coder",
            description="Inpatient DRG coding and **abstracting**.",
            credentials=["CCS", "RHIT"],
            setting="hybrid",
            city="Austin",
            state="TX",
            specialty="inpatient",
            experience="senior",
            salary_min=Decimal("70000"),
            salary_max=Decimal("85000"),
            salary_period="year",
            approved_ago=4,
        ),
        "onsite_apprentice": make_job(
            employer,
            title="Coding apprentice",
            description="Learn emergency department coding with a mentor.",
            credentials=["CPC-A", "apprentice"],
            setting="on-site",
            city="Columbus",
            state="OH",
            specialty="emergency",
            experience="entry",
            employment_type="part-time",
            salary_min=Decimal("18"),
            salary_max=Decimal("20"),
            approved_ago=3,
        ),
        "remote_crc": make_job(
            employer,
            title="Risk adjustment coder",
            description="HCC risk adjustment chart reviews.",
            credentials=["CRC"],
            state="FL",
            specialty="risk-adjustment",
            employment_type="contract",
            salary_min=Decimal("40"),
            salary_max=Decimal("45"),
            approved_ago=2,
        ),
        "per_diem_auditor": make_job(
            employer,
            title="Per diem coding auditor",
            description="Audit E/M levels.",
            credentials=["CPMA", "CPC"],
            setting="on-site",
            city="Austin",
            state="TX",
            specialty="auditing",
            employment_type="per-diem",
            experience="senior",
            salary_min=Decimal("35"),
            salary_max=Decimal("50"),
            approved_ago=1,
        ),
    }
    make_job(employer, title="Expired CPC job", status="approved", days_open=-1)
    make_job(employer, title="Waiting CPC job", status="review")
    return jobs


def titles(response) -> list[str]:
    return [job.title for job in response.context["jobs"]]


# Each row: the query string, and the jobs it finds (newest first).
FILTERS = [
    ("", ["per_diem_auditor", "remote_crc", "onsite_apprentice", "hybrid_ccs", "remote_cpc"]),
    ("credential=CPC", ["per_diem_auditor", "remote_cpc"]),
    ("credential=CPC&credential=CRC", ["per_diem_auditor", "remote_crc", "remote_cpc"]),
    ("credential=apprentice", ["onsite_apprentice"]),
    ("credential=CPC&setting=remote", ["remote_cpc"]),
    ("setting=remote", ["remote_crc", "remote_cpc"]),
    ("setting=hybrid&setting=on-site", ["per_diem_auditor", "onsite_apprentice", "hybrid_ccs"]),
    ("state=TX", ["per_diem_auditor", "hybrid_ccs"]),
    ("state=TX&city=austin", ["per_diem_auditor", "hybrid_ccs"]),
    ("city=Columbus", ["onsite_apprentice"]),
    ("employment_type=part-time", ["onsite_apprentice"]),
    ("employment_type=per-diem&employment_type=contract", ["per_diem_auditor", "remote_crc"]),
    ("experience=entry", ["onsite_apprentice"]),
    ("experience=senior", ["per_diem_auditor", "hybrid_ccs"]),
    ("specialty=risk-adjustment", ["remote_crc"]),
    # Hourly pay counts as 2,080 hours a year: $20/h tops out at $41,600, $30/h at $62,400.
    ("pay_min=80000", ["per_diem_auditor", "remote_crc", "hybrid_ccs"]),
    ("pay_max=45000", ["onsite_apprentice"]),
    ("pay_min=60000&pay_max=65000", ["remote_cpc"]),  # 52,000-62,400 overlaps; the rest start higher
    ("q=inpatient", ["hybrid_ccs"]),
    ("q=abstracting", ["hybrid_ccs"]),
    ("q=%22risk+adjustment%22", ["remote_crc"]),
    ("q=coder+-risk", ["hybrid_ccs", "remote_cpc"]),  # "coding" is another word than "coder"
    ("q=emergency&credential=CPC-A", ["onsite_apprentice"]),
    ("q=cardiology", []),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_filters(client, board, query, expected):
    response = client.get(f"/jobs/?{query}")
    assert response.status_code == 200
    assert titles(response) == [board[key].title for key in expected]


def test_expired_and_unapproved_jobs_are_never_listed(client, board):
    html = client.get("/jobs/?q=CPC").content.decode()
    assert "Remote CPC coder" in html
    assert "Expired CPC job" not in html
    assert "Waiting CPC job" not in html


def test_sort_by_pay_ranks_hourly_pay_as_a_year(client, board):
    response = client.get("/jobs/?sort=pay")
    # 85,000/y; 50/h = 104,000; 45/h = 93,600; 30/h = 62,400; 20/h = 41,600.
    assert titles(response) == [
        board[key].title
        for key in ["per_diem_auditor", "remote_crc", "hybrid_ccs", "remote_cpc", "onsite_apprentice"]
    ]


def test_filters_are_kept_in_the_form_and_links(client, board):
    html = client.get("/jobs/?credential=CPC&setting=remote").content.decode()
    assert 'value="CPC" id="id_credential_0" checked' in html or 'name="credential" value="CPC"' in html
    assert 'href="/jobs/feed/?credential=CPC&amp;setting=remote"' in html


@pytest.mark.parametrize(
    "query",
    [
        "credential=XYZ",
        "setting=moon",
        "state=ZZ",
        "pay_min=lots",
        "pay_min=-5",
        "pay_min=99999999999999999999",
        "q=" + "x" * 10_000,
        "q=%22%22%22&&&||!!",
        "sort=random",
        "page=abc",
        "page=99999",
        "city=" + "x" * 500,
    ],
)
def test_a_bad_value_is_a_form_error_never_a_500(client, board, query):
    response = client.get(f"/jobs/?{query}")
    assert response.status_code == 200
    # The bad value is left out: the other filters (none here) still apply.
    if query.startswith(("page", "q=%22")):
        assert response.context["page"].paginator.count == 5
    else:
        assert response.context["form"].errors
        assert response.context["page"].paginator.count == 5
        assert "Some filters were not understood" in response.content.decode()


def test_a_pay_range_upside_down_keeps_its_minimum(client, board):
    response = client.get("/jobs/?pay_min=90000&pay_max=10")
    assert response.context["form"].errors["pay_max"] == ["The most must be at least the least."]
    assert titles(response) == [board["per_diem_auditor"].title, board["remote_crc"].title]


def test_a_bad_value_beside_good_ones_keeps_the_good_ones(client, board):
    response = client.get("/jobs/?credential=CPC&pay_min=lots")
    assert response.context["form"].errors
    assert titles(response) == [board["per_diem_auditor"].title, board["remote_cpc"].title]


def test_pages_keep_the_filters(client, db):
    employer = make_employer()
    for number in range(25):
        make_job(employer, title=f"Remote job {number:02}", approved_ago=number)
    make_job(employer, title="On-site job", setting="on-site", city="Reno", state="NV")
    first = client.get("/jobs/?setting=remote")
    html = first.content.decode()
    assert first.context["page"].paginator.count == 25
    assert 'href="?setting=remote&amp;page=2"' in html
    second = client.get("/jobs/?setting=remote&page=2")
    assert titles(second) == [
        "Remote job 20",
        "Remote job 21",
        "Remote job 22",
        "Remote job 23",
        "Remote job 24",
    ]


def test_the_list_is_a_few_queries(client, board, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/jobs/?credential=CPC&setting=remote&q=coder&sort=pay")
    assert response.status_code == 200


def test_htmx_gets_only_the_results(client, board):
    response = client.get("/jobs/?setting=remote", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Risk adjustment coder" in html
    assert "<html" not in html
    assert 'id="job-filters"' not in html


def test_a_job_page_is_a_few_queries(client, board, django_assert_max_num_queries):
    job = board["remote_cpc"]
    with django_assert_max_num_queries(2):
        response = client.get(job.get_absolute_url())
    assert response.status_code == 200


def test_job_pages_use_no_code_page_views(client, board):
    from meter.models import AddressUsage, Unlock, Usage

    for _ in range(3):
        assert client.get("/jobs/?credential=CPC").status_code == 200
        assert client.get(board["remote_cpc"].get_absolute_url()).status_code == 200
        assert client.get("/jobs/feed/").status_code == 200
    assert not Usage.objects.exists()
    assert not Unlock.objects.exists()
    assert not AddressUsage.objects.exists()
