"""Knowledge sources other apps give CasePilot, without CasePilot importing them.

An app registers a search function from its AppConfig.ready() (consultant does, for its public
knowledge base): `register(search)`, where `search(question, limit=...)` returns facts, each
citing its page (casepilot.facts.Fact and Source). CasePilot asks every source for each question
and cites what they find after its own facts; a source that fails is logged and skipped, so an
answer never depends on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from casepilot.facts import Fact

log = logging.getLogger(__name__)

Search = Callable[..., list[Fact]]
_sources: list[Search] = []
MAX_FACTS = 2


def register(search: Search) -> None:
    """Add a knowledge source (once, however often an app's ready() runs)."""
    if search not in _sources:
        _sources.append(search)


def unregister(search: Search) -> None:
    if search in _sources:
        _sources.remove(search)


def registered() -> list[Search]:
    return list(_sources)


def find(question: str, *, limit: int = MAX_FACTS) -> list[Fact]:
    """What the registered sources know about a question: at most `limit` facts, best first."""
    found: list[Fact] = []
    for search in _sources:
        try:
            found.extend(search(question, limit=limit))
        except Exception:
            log.exception("A CasePilot knowledge source failed on %r", question[:200])
    seen, unique = set(), []
    for fact in found:
        if fact.source.url not in seen:
            seen.add(fact.source.url)
            unique.append(fact)
    return unique[:limit]
