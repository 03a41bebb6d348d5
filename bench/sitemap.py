"""Time the sitemap index and every one of its files, with their queries, URLs and size.

Run against a database with the code sets loaded (`manage.py load_public_data --data DIR`):
    DEBUG=1 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/codeahead .venv/bin/python bench/sitemap.py
Each file is fetched `--repeat` times (3); the best and the worst time are printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codeahead.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from lookup.models import Code  # noqa: E402

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def fetch(client: Client, path: str, repeat: int) -> tuple[float, float, int, bytes]:
    times = []
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    return min(times), max(times), len(queries), response.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(f"{Code.objects.count():,} codes in the database")
    client = Client()
    best, worst, queries, body = fetch(client, "/sitemap.xml", args.repeat)
    files = [element.findtext(f"{NS}loc") for element in ET.fromstring(body).iter(f"{NS}sitemap")]
    print(f"{'file':<32} {'best s':>7} {'worst s':>7} {'queries':>7} {'URLs':>7} {'MB':>6}")
    print(
        f"{'/sitemap.xml':<32} {best:7.3f} {worst:7.3f} {queries:7d} {len(files):7d} {len(body) / 1e6:6.2f}"
    )
    total_urls = 0
    for location in files:
        path = location.removeprefix("http://testserver")
        best, worst, queries, body = fetch(client, path, args.repeat)
        urls = sum(1 for _ in ET.fromstring(body).iter(f"{NS}url"))
        total_urls += urls
        print(f"{path:<32} {best:7.3f} {worst:7.3f} {queries:7d} {urls:7d} {len(body) / 1e6:6.2f}")
    print(f"{total_urls:,} URLs in {len(files)} files")


if __name__ == "__main__":
    main()
