"""Time the full ICD-10-CM import: first load, re-import of the same file, and peak memory.

    .venv/bin/python bench/import_icd10cm.py [--file PATH] [--runs N]

It creates a scratch database `bench_import` on the project's PostgreSQL (the embedded
one unless DATABASE_URL names another server), migrates it, then runs
`manage.py import_codes icd-10-cm FILE` twice as a separate process, as an operator would,
and prints the wall-clock seconds and the import process's peak resident memory (RSS) for
each run, then drops the scratch database. The default file is CDC's April 2026 XML in
../shared/data, or the copy in the simple-icd-10-cm package. Targets: first import <= 20 s,
re-import <= 10 s, peak RSS <= 500 MB.

Then it times large updates of the loaded codes in one session, as a long import does (the
search-word trigger runs once per statement; a plan it kept from a one-row statement made
these quadratic, issue 17): 5,000 codes in a fresh session, 5,000 after a one-row update,
and 40,000 after a one-row update, each rolled back. Target: the second within 2x the first.
`--database NAME` names the scratch database (default bench_import).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared/data/cdc/icd10cm/icd10cm-tabular-April-2026.xml.gz"
SCRATCH = "bench_import"
# A text change the search-word trigger must read: it recounts the words of every row.
UPDATE_CODES = """UPDATE lookup_code SET plain_description = plain_description || ' bench'
    WHERE id IN (SELECT id FROM lookup_code ORDER BY id LIMIT %s)"""


def default_file() -> Path:
    if SHARED.exists():
        return SHARED
    package = importlib.util.find_spec("simple_icd_10_cm")
    assert package and package.submodule_search_locations
    return Path(package.submodule_search_locations[0]) / "data/icd10c-tabular-April-1-2026.xml"


def scratch_url(settings: dict, name: str) -> str:
    host = quote(settings["HOST"] or "", safe="")
    port = settings.get("PORT") or "5432"
    return f"postgresql://{quote(settings['USER'])}@{host}:{port}/{name}"


def timed_updates(url: str, sizes: list[int]) -> list[float]:
    """Seconds for each UPDATE of that many codes, in order, in one new session, rolled back."""
    import psycopg

    seconds = []
    with psycopg.connect(url) as session:
        for size in sizes:
            started = time.monotonic()
            session.execute(UPDATE_CODES, [size])
            seconds.append(time.monotonic() - started)
        session.rollback()
    return seconds


def run_child(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Its wall-clock seconds, its own peak RSS in MB (os.wait4), and what it printed."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{err.decode()}")
    return seconds, usage.ru_maxrss / 1024, out.decode().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--file", type=Path, default=None, help="ICD-10-CM tabular XML (.xml, .gz or zip)")
    parser.add_argument("--runs", type=int, default=1, help="repeat the first-import/re-import pair")
    parser.add_argument("--database", default=SCRATCH, help=f"scratch database name (default {SCRATCH})")
    args = parser.parse_args()
    scratch = args.database
    path = args.file or default_file()

    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codeahead.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    # This process keeps the embedded server up while the children use it.
    connection.ensure_connection()
    url = scratch_url(connection.settings_dict, scratch)
    python = sys.executable
    env = {**os.environ, "DATABASE_URL": url}
    print(f"file: {path}")
    print(f"database: {url}")
    results = []
    for run in range(1, args.runs + 1):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {scratch}")
            cursor.execute(f"CREATE DATABASE {scratch}")
        run_child([python, "manage.py", "migrate", "--noinput", "-v0"], env)
        command = [python, "manage.py", "import_codes", "icd-10-cm", str(path)]
        first = run_child(command, env)
        again = run_child(command, env)
        results.append((first, again))
        print(f"run {run}: first import {first[0]:.1f} s, peak RSS {first[1]:.0f} MB  | {first[2]}")
        print(f"run {run}: re-import    {again[0]:.1f} s, peak RSS {again[1]:.0f} MB  | {again[2]}")
    (fresh,) = timed_updates(url, [5000])
    _, after_one = timed_updates(url, [1, 5000])
    _, large = timed_updates(url, [1, 40000])
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {scratch}")
    best_first = min(r[0][0] for r in results)
    best_again = min(r[1][0] for r in results)
    peak = max(max(r[0][1], r[1][1]) for r in results)
    print(
        f"RESULT first import {best_first:.1f} s (target 20), re-import {best_again:.1f} s (target 10), "
        f"peak RSS {peak:.0f} MB (target 500)"
    )
    print(
        f"RESULT updates: 5,000 codes {fresh:.2f} s in a fresh session, {after_one:.2f} s after a one-row "
        f"update (target {2 * fresh:.2f}); 40,000 codes after a one-row update {large:.2f} s"
    )


if __name__ == "__main__":
    main()
