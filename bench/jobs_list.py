"""Time the job board's list and feed with many open jobs.

    DEBUG=1 .venv/bin/python bench/jobs_list.py --jobs 20000 --requests 30

Adds the jobs inside a transaction that is rolled back at the end, so the database is left as
it was. Prints, per address, the median and 95th percentile time and the number of queries.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codeahead.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from jobs.choices import Credential, EmploymentType, Experience, Specialty, WorkSetting  # noqa: E402
from jobs.models import Employer, Job  # noqa: E402

ADDRESSES = [
    "/jobs/",
    "/jobs/?credential=CPC&setting=remote",
    "/jobs/?credential=CPC&setting=remote&sort=pay&page=5",
    "/jobs/?q=risk+adjustment&state=TX",
    "/jobs/?q=%22emergency+department%22+-pediatric&pay_min=50000",
    "/jobs/?employment_type=contract&experience=senior&specialty=auditing",
    "/jobs/feed/?credential=CRC",
]
WORDS = [
    "outpatient",
    "inpatient",
    "emergency",
    "department",
    "radiology",
    "oncology",
    "audit",
    "risk",
    "adjustment",
    "HCC",
    "E/M",
    "surgery",
    "pediatric",
    "cardiology",
    "denial",
    "appeals",
    "charge",
    "entry",
]


def make_jobs(count: int) -> None:
    user = get_user_model().objects.create_user("bench-jobs", "bench-jobs@example.com", "x" * 20)
    employer = Employer.objects.create(
        user=user,
        organisation="Bench Health",
        website="https://bench.example",
        contact_name="B",
        contact_email="b@bench.example",
    )
    rng = random.Random(14)
    now = timezone.now()
    states = ["TX", "FL", "OH", "CA", "NY", "GA", ""]
    jobs = []
    for number in range(count):
        hourly = rng.random() < 0.5
        low = Decimal(rng.randint(18, 40)) if hourly else Decimal(rng.randint(38, 90) * 1000)
        jobs.append(
            Job(
                employer=employer,
                title=f"{rng.choice(WORDS).title()} coder {number}",
                description=" ".join(rng.choice(WORDS) for _ in range(120)),
                requirements=" ".join(rng.choice(WORDS) for _ in range(30)),
                credentials=rng.sample(Credential.values, k=rng.randint(1, 3)),
                setting=rng.choice(WorkSetting.values),
                city="Austin",
                state=rng.choice(states),
                employment_type=rng.choice(EmploymentType.values),
                experience=rng.choice(Experience.values),
                specialty=rng.choice(Specialty.values),
                salary_min=low,
                salary_max=low + (Decimal(5) if hourly else Decimal(10000)),
                salary_period="hour" if hourly else "year",
                apply_url="https://bench.example/apply",
                status=Job.Status.APPROVED,
                approved_at=now - timedelta(minutes=number),
                expires_at=now + timedelta(days=rng.randint(-5, 30)),
            )
        )
    Job.objects.bulk_create(jobs, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE jobs_job")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30, help="requests per address")
    args = parser.parse_args()
    with transaction.atomic():
        started = time.perf_counter()
        make_jobs(args.jobs)
        print(f"{args.jobs} jobs made in {time.perf_counter() - started:.1f} s")
        client = Client()
        for address in ADDRESSES:
            client.get(address)
            times = []
            for _ in range(args.requests):
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    response = client.get(address)
                    times.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (address, response.status_code)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(
                f"{statistics.median(times):7.1f} ms p50 {p95:7.1f} ms p95 {len(queries):2} queries  {address}"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
