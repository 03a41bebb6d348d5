"""What each process keeps of the code sets (home counts, browse groups), and when it is dropped.

The "local" cache lives in one process's memory, but an import commits in another (the
`import_codes` command), so clearing the local cache on that commit would reach no web
worker. Every value kept here is therefore stored under the code sets' version: a stamp in
the shared cache (a PostgreSQL table) that each import's commit replaces. Reading it costs
one indexed lookup, far less than the counts it guards; a worker that missed the commit sees
a new stamp on its next request and computes afresh. Lost stamps (the shared cache culls
old rows) are replaced by new ones, which only costs one recount.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches

VERSION_KEY = "lookup:code-sets-version"

T = TypeVar("T")


def code_sets_version() -> str:
    """The stamp of the code sets as they are now: it changes whenever an import commits."""
    shared = caches["default"]
    version = shared.get(VERSION_KEY)
    if version is None:
        # First use, or culled: a new stamp; add() keeps another process's if it came first.
        shared.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = shared.get(VERSION_KEY)
    return version


def code_sets_changed() -> None:
    """An import committed: every process's kept counts and groups are stale from now on.

    Imports call it through `transaction.on_commit`, so a rolled-back import drops nothing.
    """
    caches["default"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    caches["local"].clear()


def kept(key: str, compute: Callable[[], T], seconds: int) -> T:
    """`compute()`, kept in this process for `seconds` or until the code sets change."""
    return caches["local"].get_or_set(f"{key}@{code_sets_version()}", compute, seconds)
