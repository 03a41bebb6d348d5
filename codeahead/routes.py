"""Top-level paths: each belongs to the site or to one app, never to a code system.

lookup serves /<system>/... for any code system's slug or alias, after every other route
(codeahead/urls.py). A slug or alias equal to a top-level path would make its pages
unreachable, or hide the other app's, so a system check refuses it. Apps whose data names
top-level paths (lookup: code systems) tell the check with claim_top_level_names().
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.checks import Error
from django.db import DatabaseError
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# The site's own prefixes, lookup's own pages, and those kept for the coming apps.
SITE = ("admin", "accounts", "anymail", "healthz", "static")
LOOKUP = ("search", "code")
COMING = ("casepilot", "consultant", "jobs", "api", "modifiers", "check", "pos")
RESERVED = SITE + LOOKUP + COMING

_claimants: dict[str, Callable[[], Iterable[tuple[str, str]]]] = {}


def claim_top_level_names(app_label: str, names: Callable[[], Iterable[tuple[str, str]]]) -> None:
    """Register names(): (name, what it is) pairs an app serves as /<name>/ (from its AppConfig.ready())."""
    _claimants[app_label] = names


def routed_top_level_paths(patterns=None) -> set[str]:
    """The literal first segments of the URL patterns, through includes mounted at the root."""
    found: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern._route) if isinstance(pattern.pattern, RoutePattern) else None
        if route is None:
            continue
        if route == "" and isinstance(pattern, URLResolver):
            found |= routed_top_level_paths(pattern.url_patterns)
            continue
        segment = route.split("/")[0]
        if segment and "<" not in segment:
            found.add(segment.lower())
    return found


def check_top_level_paths(app_configs=None, **kwargs) -> list[Error]:
    taken = dict.fromkeys(RESERVED, "reserved") | {
        name: "routed" for name in routed_top_level_paths() if name not in RESERVED
    }
    errors = []
    for app_label, names in _claimants.items():
        try:
            claimed = list(names())
        except DatabaseError:
            continue  # not migrated yet: nothing to collide
        for name, what in claimed:
            if name.lower() in taken:
                errors.append(
                    Error(
                        f"{what} {name!r} would be served at /{name}/, a {taken[name.lower()]} top-level path",
                        hint=f"Rename it: /{name}/ belongs to the site or another app (codeahead/routes.py).",
                        obj=app_label,
                        id="codeahead.E001",
                    )
                )
    return errors
