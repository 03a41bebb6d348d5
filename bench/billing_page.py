"""Time CPT/HCPCS code pages with the fee-schedule section, as a signed-in member sees them.

Run after importing the fee schedule into the development database:
    .venv/bin/python manage.py import_codes pfs ../shared/data/cms/rvu/RVU24A.zip
    .venv/bin/python manage.py import_codes pfs ../shared/data/cms/rvu/RVU25A.zip
    DEBUG=1 .venv/bin/python bench/billing_page.py --requests 200
Prints, per page, the median and 95th percentile time and the number of queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codeahead.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    "/cpt/77307/",
    "/cpt/77307/?year=2024&locality=01182-18",
    "/cpt/99214/?locality=13202-01",
    "/cpt/27447/",
    "/hcpcs/G0439/",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per page")
    args = parser.parse_args()

    # A verified account: only registered readers get the deeper sections.
    user, _ = get_user_model().objects.get_or_create(
        username="bench-billing", defaults={"email": "bench@example.com"}
    )
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    client = Client()
    client.force_login(user)
    for path in PAGES:
        client.get(path)  # the first view of a code records it for the quota
        reset_queries()  # the log keeps at most 9,000 queries: count from an empty one
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200 or b'id="fee-schedule"' not in response.content:
            sys.exit(
                f"{path}: status {response.status_code} or no fee-schedule section: import the RVU files first"
            )
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"{path:45} median {statistics.median(timings):6.1f} ms  p95 {p95:6.1f} ms  "
            f"{len(queries.captured_queries)} queries"
        )


if __name__ == "__main__":
    main()
