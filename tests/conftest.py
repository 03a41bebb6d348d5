from __future__ import annotations

import functools
import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection, transaction

from tests.factories import make_account

# Playwright drives a browser from async code; Django's ORM calls in the test thread are fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The official public files (see its README): beside the checkout, as `make run` finds them,
# or where SHARED_DATA says (a worktree elsewhere: SHARED_DATA=/work/shared/data).
SHARED_DATA = Path(os.environ.get("SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """pytest-xdist's two workers (`-n 2`, in pyproject.toml) split the suite: the modules on the
    one full import (full_data below) run on one worker after a few other apps' modules
    (EARLY_APPS), every other module on the other. Each worker has its own database, so the full
    import happens once, and it is the last thing its worker runs: its open transaction never
    meets another module's tests. A module is on the full import when its source names the
    fixture or marker (the controller process only learns marks by importing it)."""
    from xdist.scheduler import LoadScopeScheduling

    class FullImportLast(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0]
            if _names_full_data(module):
                return "full_data"
            return "early" if module.split("/")[1] in EARLY_APPS else "rest"

        def _assign_work_unit(self, node) -> None:
            # "early" and "rest" first, one to each worker; "full_data" to whichever asks next.
            for scope in ("early", "rest"):
                if scope in self.workqueue:
                    self.workqueue.move_to_end(scope, last=False)
                    break
            super()._assign_work_unit(node)

    return FullImportLast(config, log)


# Apps whose tests run before the full import's, on its worker: about as long as the full import
# and its tests take less than every other module (seconds measured with --durations).
EARLY_APPS = {"accounts", "api", "billing"}


@functools.cache
def _names_full_data(module_path: str) -> bool:
    path = Path(__file__).resolve().parents[1] / module_path
    return path.suffix == ".py" and "full_data" in path.read_text()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked full_data run last, after pytest-django's ordering: the one full import
    they share (the full_data fixture) then stays invisible to every other test."""
    full = [item for item in items if item.get_closest_marker("full_data")]
    items[:] = [item for item in items if not item.get_closest_marker("full_data")] + full


@pytest.fixture(scope="session")
def full_data(django_db_setup, django_db_blocker) -> dict[tuple[str, str], object]:
    """Every public code set, imported once for the session as `make run` loads it
    (lookup/public_data.py), and rolled back at the end. Its summaries by (system, release).

    Mark a module using it `full_data` (it then runs last, see above); it is skipped where
    the files are not on the machine.
    """
    from lookup.public_data import PUBLIC_FILES, load_public_data

    missing = [public.path for public in PUBLIC_FILES if not (SHARED_DATA / public.path).is_file()]
    if missing:
        pytest.skip(f"the official files are not in {SHARED_DATA} (set SHARED_DATA): {', '.join(missing)}")
    with django_db_blocker.unblock(), transaction.atomic():
        make_code_systems()
        summaries = load_public_data(data_dir=SHARED_DATA, say=lambda line: None)
        # Check the deferred foreign keys of these rows once, here: each test's teardown
        # checks what is pending, and inside its savepoint that would be all of them again.
        connection.check_constraints()
        yield {(summary.system, summary.release): summary for summary in summaries}
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fresh_cache(request):
    """Each test starts with empty caches: rows kept from another test's database are stale,
    and another test's requests must not count towards allauth's rate limits."""
    caches["local"].clear()
    # The shared cache is a table in the test database, for the tests that have one.
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            caches["default"].clear()


@pytest.fixture(autouse=True)
def no_search_rate_limit(settings):
    """Searches are not rate limited in tests; tests/lookup/test_search_rate_limit.py sets its own limits."""
    settings.SEARCH_RATE_LIMITS = []


def make_code_systems() -> None:
    """The code systems the data migration makes: a transactional test run before may have
    emptied every table, these rows too."""
    importlib.import_module("lookup.migrations.0002_code_systems").create_code_systems(apps, None)


def load_demo_codes() -> None:
    make_code_systems()
    from lookup.demo import load_demo_codes as load

    load()


@pytest.fixture
def code_systems(db):
    """The code systems, for a test that imports into an otherwise empty database."""
    make_code_systems()


@pytest.fixture
def member(db, client):
    """The test client signed in as a verified account: it sees the sections beyond the descriptions."""
    user = make_account("member@example.com", verified=True)
    client.force_login(user)
    return user


@pytest.fixture
def demo_codes(db):
    """The demo code set from fixtures/, as a fresh clone gets it."""
    load_demo_codes()


@pytest.fixture
def demo_codes_live(transactional_db):
    """The demo code set, committed, for tests where a live server reads it."""
    load_demo_codes()


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    # The machine's network is closed: keep Chromium from calling home.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# axe-core from npm (tests/axe/package.json; `make browser` installs it): loaded into the
# tab by the tests only, never served by the site.
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: `make browser` installs it (npm ci --prefix tests/axe)")
    return AXE.read_text()


@pytest.fixture
def assert_accessible(axe_source):
    """assert_accessible(tab, "what the page shows"): axe's WCAG 2.2 AA rules over the page as it
    is now (a menu open, a form in error), failing with each violation and where it is."""

    def check(tab, state: str = "") -> None:
        if not tab.evaluate("() => typeof window.axe === 'object'"):
            tab.evaluate(axe_source)  # through the DevTools protocol: no script tag, no CSP to bend
        result = tab.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_22_AA,
        )
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']}\n"
            + "\n".join(f"    {node['target']} {node['failureSummary'][:200]!r}" for node in v["nodes"][:5])
            for v in result["violations"]
        ]
        assert not problems, f"axe on {state or tab.url}:\n" + "\n".join(problems)

    return check


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab (no cookies) pointed at the live test server."""
    context = chromium.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def subprocess_database_url() -> str:
    """The test database as a DATABASE_URL, for a process the test starts (a worker, a server):
    a TCP server's host and port, or the embedded server's Unix socket folder."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    host = quote(db["HOST"] or "localhost", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgresql://{quote(db['USER'], safe='')}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
