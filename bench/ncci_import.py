"""Time the NCCI practitioner PTP import at full size, and a pair lookup.

    .venv/bin/python bench/ncci_import.py [--pairs 2400000] [--keep-files DIR]

It writes a generated quarter in CMS's text layout (four parts, ccipra-v320r0-f1.txt ... f4,
2.4 million edits) and the next quarter (v321r0: 1% of edits revised, 0.5% given a deletion
date, 0.5% gone, 24,000 added), into a scratch database (`bench_ncci`, or --database NAME) on the
project's PostgreSQL (DATABASE_URL). As an operator would, it runs `manage.py import_codes
ncci-ptp-practitioner` as a separate process for: the first quarter (baseline), the next
quarter (a set-based comparison with history), and the next quarter again (already
loaded, the file read to tell it from another), then with --if-new (skipped from its name).
Then it times 2,000 pair lookups through rules.tools.pair_check's query. Targets:
each import <= 60 s, a lookup <= 5 ms. The scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "bench_ncci"
HEADER = (
    "CPT only copyright 2025 American Medical Association.  All rights reserved.\t\t\t\t\t\t\r\n"
    "Column1/Column2 Edits\t\t\t\t\t\t\r\n"
    "Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale\r\n"
    "\t\tprior to 1996\tDate\tDate\t0=not allowed\t\r\n"
    "\t\t\t\t*=no data\t1=allowed\t\r\n"
    "\t\t\t\t\t9=not applicable\t\r\n"
)
RATIONALES = [
    "Misuse of column two code with column one code",
    "Mutually exclusive procedures",
    "Standards of medical / surgical practice",
    "CPT Manual or CMS manual coding instructions",
    "Anesthesia service included in surgical procedure",
    "More extensive procedure",
]
PER_CODE = 240


def codes(count: int) -> list[str]:
    return [
        f"{10000 + i * 7 % 89999:05d}" if i % 10 else f"{chr(65 + i % 26)}{i % 10000:04d}"
        for i in range(count)
    ]


def edit_line(c1: str, c2: str, i: int, *, modifier: str | None = None, deleted: bool = False) -> str:
    effective = f"20{10 + i % 16:02d}0101"
    deletion = "20260401" if deleted else "*"
    mod = modifier or ("9" if deleted else "01"[i % 2])
    return (
        f"{c1}\t{c2}\t{'*' if i % 50 == 0 else ''}\t{effective}\t{deletion}\t{mod}\t{RATIONALES[i % 6]}\r\n"
    )


def write_quarters(folder: Path, pairs: int) -> tuple[Path, Path]:
    pool = sorted(set(codes(pairs // PER_CODE + PER_CODE + 10)))
    first_lines, next_lines = [], []
    rng = random.Random(7)
    for i in range(pairs):
        a = i // PER_CODE
        c1, c2 = pool[a], pool[(a + 1 + i % PER_CODE) % len(pool)]
        line = edit_line(c1, c2, i)
        first_lines.append(line)
        roll = rng.random()
        if roll < 0.005:
            continue  # gone from the next quarter
        if roll < 0.010:
            next_lines.append(edit_line(c1, c2, i, deleted=True))
        elif roll < 0.020:
            next_lines.append(edit_line(c1, c2, i, modifier="0" if i % 2 else "1"))
        else:
            next_lines.append(line)
    extra = pairs // 100
    for j in range(extra):
        a = j % len(pool)
        next_lines.append(
            f"{pool[a]}\t{pool[(a + PER_CODE + 1 + j // len(pool)) % len(pool)]}\t\t20260401\t*\t1\t{RATIONALES[j % 6]}\r\n"
        )

    def write(version: str, lines: list[str]) -> Path:
        quarter = len(lines) // 4 + 1
        for part in range(4):
            chunk = lines[part * quarter : (part + 1) * quarter]
            (folder / f"ccipra-{version}-f{part + 1}.txt").write_text(HEADER + "".join(chunk), newline="")
        return folder / f"ccipra-{version}-f1.txt"

    return write("v320r0", first_lines), write("v321r0", next_lines)


def run_child(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr}{done.stdout}")
    return time.monotonic() - started, done.stdout.strip()


LOOKUP_SCRIPT = """
import random, time
from django.db import connection
from rules.tools import ptp_edits_between
codes = [r[0] for r in connection.cursor().execute("SELECT DISTINCT column1 FROM rules_ptpedit LIMIT 5000")]
others = [r[0] for r in connection.cursor().execute("SELECT DISTINCT column2 FROM rules_ptpedit LIMIT 5000")]
rng = random.Random(3)
times = []
for _ in range(2000):
    pair = (rng.choice(codes), rng.choice(others))
    started = time.perf_counter()
    ptp_edits_between(*pair)
    times.append((time.perf_counter() - started) * 1000)
times.sort()
print(f"p50 {times[len(times)//2]:.2f} ms, p95 {times[int(len(times)*0.95)]:.2f} ms, max {times[-1]:.2f} ms")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=2_400_000)
    parser.add_argument(
        "--database", default=SCRATCH, help=f"the scratch database's name ({SCRATCH}); dropped at the end"
    )
    parser.add_argument(
        "--keep-files", type=Path, help="write the generated files here and keep them (reused when there)"
    )
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL")
    if not base:
        sys.exit("set DATABASE_URL to the PostgreSQL server to use (a scratch database is made there)")
    server = base.rsplit("/", 1)[0]
    scratch_db = args.database
    if not scratch_db.isidentifier():
        sys.exit(f"--database {scratch_db!r}: letters, digits and _ only")
    url = f"{server}/{scratch_db}"
    admin = f"{server}/postgres"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url}
    psql = ["psql", admin, "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {scratch_db}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {scratch_db}"], check=True)
    python = sys.executable
    # The machine may be shared: the load says how much of it the figures had.
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    try:
        run_child([python, "manage.py", "migrate", "--noinput", "-v0"], env)
        with tempfile.TemporaryDirectory(prefix="bench-ncci-") as scratch:
            folder = args.keep_files or Path(scratch)
            folder.mkdir(parents=True, exist_ok=True)
            started = time.monotonic()
            first, following = folder / "ccipra-v320r0-f1.txt", folder / "ccipra-v321r0-f1.txt"
            reused = bool(args.keep_files and first.exists() and following.exists())
            if not reused:
                first, following = write_quarters(folder, args.pairs)
            size = sum(p.stat().st_size for p in folder.glob("ccipra-v320r0-f*.txt")) / 1e6
            print(
                f"{'reused' if reused else 'generated'} {args.pairs:,} edits ({size:.0f} MB in 4 parts) "
                f"in {time.monotonic() - started:.1f} s"
            )
            command = [python, "manage.py", "import_codes", "ncci-ptp-practitioner"]
            runs = (
                ("baseline", first, []),
                ("next quarter", following, []),
                ("again", following, []),
                ("--if-new", following, ["--if-new"]),  # skipped from the file's name, unread
            )
            for label, path, extra in runs:
                seconds, out = run_child([*command, str(path), *extra], env)
                print(f"{label:<13} {seconds:5.1f} s (target 60) | {out}")
        seconds, out = run_child([python, "manage.py", "shell", "-c", LOOKUP_SCRIPT], env)
        print(f"pair lookup   {out.splitlines()[-1]} (target 5 ms)")
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {scratch_db}"], check=True)


if __name__ == "__main__":
    main()
