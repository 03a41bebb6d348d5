"""Time /search on the loaded code sets: p50, p95 and max per kind of query.

    .venv/bin/python bench/search.py [--rounds 5]

Run it against a database with the full code sets imported (`manage.py import_codes`);
on the demo codes alone the figures mean little. Each query goes through the whole
Django stack (middleware, view, template) with the test client, in-process, so the
figures are server time without the network. It runs with DEBUG off (as in production:
no query logging, cached templates); the rate limit is off for the run.
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
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(24).hex())

QUERIES: dict[str, list[str]] = {
    "code": [
        "E11.9",
        "e119",
        "E11 9",
        "I10",
        "j1100",
        "J0696",
        "77307",
        "S52.521A",
        "Z00.00",
        "E11.65",
        "M54.50",
        "R07.9",
        "G0439",
        "A0428",
        "0BT80ZZ",
        "K21.9",
        "F32.A",
        "N39.0",
        "Z23",
        "E0114",
    ],
    "prefix": [
        "E11",
        "S52.5",
        "J11",
        "773",
        "M54",
        "S72.0",
        "Z00",
        "G04",
        "A04",
        "0BT",
        "I25",
        "C50.9",
        "R10",
        "T81.4",
        "O24",
    ],
    "range": [
        "77261-77799",
        "E08-E13",
        "J1000-J1999",
        "A0021-A0999",
        "I10-I16",
        "S52-S59",
        "G0008-G0099",
        "E0100-E0999",
        "M05-M14",
        "K0001-K0899",
    ],
    "words": [
        "type 2 diabetes without complications",
        "dexamethasone injection",
        "isodose plan",
        "high blood pressure",
        "essential hypertension",
        "fracture of lower end of radius",
        "annual wellness visit",
        "chronic kidney disease stage 3",
        "major depressive disorder",
        "low back pain",
        "urinary tract infection",
        "chest pain",
        "wheelchair",
        "crutches",
        "fracture",
        "left",
        "pneumonia",
        "resection left upper lobe bronchus",
        "covid 19",
        "ambulance basic life support",
    ],
    "typo": [
        "diabetis",
        "dexamethazone",
        "hypertensoin",
        "pnuemonia",
        "fractrue of radius",
        "astma",
        "migrane",
        "ceftriaxon",
        "wheelchiar",
        "osteoarthritus",
    ],
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each query (after one warm-up)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from lookup.models import Code

    total = Code.objects.count()
    print(f"{total} codes loaded; {sum(len(q) for q in QUERIES.values())} queries x {args.rounds} rounds")
    if total < 100_000:
        print("warning: fewer than 100,000 codes: import the full code sets for meaningful figures")

    client = Client()
    times: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    slowest: dict[str, float] = {}
    # Static files: plain storage, so pages render without running collectstatic first.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(SEARCH_RATE_LIMITS=[], ALLOWED_HOSTS=["testserver"], STORAGES=storages):
        for round_number in range(args.rounds + 1):
            for kind, queries in QUERIES.items():
                for query in queries:
                    for headers in ({}, {"HX-Request": "true"}):
                        start = time.perf_counter()
                        response = client.get("/search", {"q": query}, headers=headers, secure=True)
                        elapsed = (time.perf_counter() - start) * 1000
                        if response.status_code not in (200, 302):
                            raise SystemExit(f"{query!r} answered {response.status_code}")
                        if round_number:  # the first round warms caches
                            times[kind].append(elapsed)
                            slowest[f"{kind} {query}"] = max(elapsed, slowest.get(f"{kind} {query}", 0))

    print(f"{'kind':8} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in times.items():
        print(
            f"{kind:8} {len(values):5d} {statistics.median(values):8.1f} "
            f"{percentile(values, 0.95):8.1f} {max(values):8.1f}"
        )
    print(
        "slowest:",
        ", ".join(f"{name} {ms:.0f} ms" for name, ms in sorted(slowest.items(), key=lambda i: -i[1])[:8]),
    )


if __name__ == "__main__":
    main()
