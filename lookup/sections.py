"""The sections of a code page below its descriptions, and how an app adds one.

A section is registered once, from its app's `AppConfig.ready()`; the code page shows every
registered section that applies to the code, in `order`, and `lookup` never names the app.
billing's fee schedule (billing/sections.py, FEE_SCHEDULE) is the working example; a
modifiers section of a later `rules` app would be:

    # rules/sections.py
    def modifiers_for(*, code: Code, params: QueryDict) -> list[Modifier] | None:
        return list(Modifier.objects.filter(codes=code)) or None  # None: nothing to show

    MODIFIERS = Section(
        slug="modifiers",
        title="Modifiers",
        template="rules/_modifiers.html",  # reads `code` and `section` (the list above)
        data=modifiers_for,
        applies=lambda code: code.system.slug in {"cpt", "hcpcs"},  # no query
        order=15,  # after the fee schedule (10), before the notes (20)
    )

    # rules/apps.py
    class RulesConfig(AppConfig):
        name = "rules"

        def ready(self) -> None:
            from lookup.sections import register
            from rules.sections import MODIFIERS

            register(MODIFIERS)

For each applicable section the page either renders it or, for a reader `visible` refuses,
shows its locked placeholder (`locked_title` and `locked_text`), never its data: a locked
section's `data` is not even called. Rendering a section:

- `data(code=..., params=...)` returns what the template needs; None (or an empty
  result the template skips) shows nothing. `params` is the request's query string.
- `template` is rendered with `code` (its `system` set), `section` (what `data` returned)
  and `params`. It writes its own `<section>` with a heading, and names no other app.
- The rendered HTML is kept per process for CONTENT_CACHE_SECONDS, keyed by the section,
  the code and the code's own texts, unless the request carries one of the section's
  `params` (a chosen year): then it is rendered afresh. A section whose data changes on
  every request should not be registered here.

`visible(decision)` gets the request's page-view decision (its `reader` is who reads);
the default, `members`, lets in verified accounts, staff and unlimited plans; `everyone`
lets in guests too.

`applies(code)` must not query the database: it decides the placeholder a guest sees too.
Sections that share one placeholder give it to the first of them and `locked_title=None`
to the rest (lookup's notes, Medicare indicators, history and hierarchy do so).

Orders in use: billing's fee schedule 10; lookup's notes 20, Medicare indicators 30,
history 40, hierarchy (with the previous and next codes) 90. Leave gaps between.

What is one reader's own (a member's star and private note) is not a section, since sections
are kept per code for everyone: an app registers a `ReaderPart` instead, rendered afresh on
every page the reader may read (never on the out-of-views page). Its `render(request=, code=,
decision=)` returns HTML by place (`tools`, beside the code's heading; `after_descriptions`),
or None; it runs on the hottest page, so it should cost one query at most.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from lookup.models import Code

CONTENT_CACHE_SECONDS = 60
LOCKED_TEXT = "Create a free account to unlock this content."


def members(decision: Any) -> bool:
    """Verified accounts, staff and unlimited plans: who sees the sections beyond the descriptions."""
    return decision.reader.is_verified_member


def everyone(decision: Any) -> bool:
    return True


def every_code(code: Code) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    slug: str  # unique; part of the cache key (and a good HTML id)
    title: str  # what the section is called; its placeholder's heading by default
    template: str
    data: Callable[..., Any]  # data(*, code, params) -> the template's `section`
    applies: Callable[[Code], bool] = every_code  # no queries: a code set's slug, a code's kind
    visible: Callable[[Any], bool] = members  # visible(decision): this request's page-view decision
    locked_title: str | None = ""  # "" means `title`; None: another section's placeholder covers it
    locked_text: str = LOCKED_TEXT
    params: tuple[str, ...] = ()  # the query parameters `data` reads
    order: int = 100

    @property
    def placeholder_title(self) -> str | None:
        return self.title if self.locked_title == "" else self.locked_title


@dataclass(frozen=True)
class Part:
    """One section on one code page: its HTML, or `locked` (the template shows the placeholder)."""

    section: Section
    html: SafeString | None = None

    @property
    def locked(self) -> bool:
        return self.html is None


_registry: dict[str, Section] = {}
_reader_parts: dict[str, ReaderPart] = {}

READER_PLACES = ("tools", "after_descriptions")


@dataclass(frozen=True)
class ReaderPart:
    """A reader's own part of a code page, rendered per request (see the module's docstring)."""

    slug: str
    render: Callable[..., dict[str, str] | None]  # render(*, request, code, decision) -> {place: html}
    order: int = 100


def register_reader_part(part: ReaderPart) -> None:
    """Add a per-reader part to every code page (call it from `AppConfig.ready()`)."""
    known = _reader_parts.get(part.slug)
    if known is not None and known != part:
        raise ValueError(f"A code-page reader part {part.slug!r} is already registered")
    _reader_parts[part.slug] = part


def reader_parts(code: Code, *, request: Any, decision: Any) -> dict[str, list[SafeString]]:
    """The registered reader parts' HTML for this request, by place."""
    placed: dict[str, list[SafeString]] = {place: [] for place in READER_PLACES}
    for part in sorted(_reader_parts.values(), key=lambda part: (part.order, part.slug)):
        for place, html in (part.render(request=request, code=code, decision=decision) or {}).items():
            if place not in placed:
                raise ValueError(f"Reader part {part.slug!r} names an unknown place {place!r}")
            if html:
                placed[place].append(mark_safe(html))
    return placed


def register(section: Section) -> None:
    """Add a section to every code page it applies to (call it from `AppConfig.ready()`)."""
    known = _registry.get(section.slug)
    if known is not None and known != section:
        raise ValueError(f"A code-page section {section.slug!r} is already registered")
    _registry[section.slug] = section


def registered() -> list[Section]:
    return sorted(_registry.values(), key=lambda section: (section.order, section.slug))


def code_sections(code: Code, *, decision: Any, params: QueryDict) -> list[Part]:
    """The sections of `code`'s page for the reader `decision` (the page-view decision) is
    about, rendered or locked, in order."""
    shown = [section for section in registered() if section.applies(code)]
    visible = {section.slug for section in shown if section.visible(decision)}
    fingerprint = _fingerprint(code)
    keys = {slug: f"code-section:{slug}:{code.pk}:{fingerprint}" for slug in visible}
    kept = caches["local"].get_many(keys.values()) if keys else {}  # one look-up for them all
    parts = []
    for section in shown:
        if section.slug not in visible:
            if section.placeholder_title is not None:
                parts.append(Part(section))
            continue
        key = keys[section.slug]
        # A request naming one of the section's params (a chosen year) is rendered afresh.
        chosen = any(name in params for name in section.params)
        html = kept.get(key) if not chosen else None
        if html is None:
            html = _render(section, code, params=params)
            if not chosen:
                caches["local"].set(key, html, CONTENT_CACHE_SECONDS)
        if html:
            parts.append(Part(section, mark_safe(html)))
    return parts


def _render(section: Section, code: Code, *, params: QueryDict) -> str:
    data = section.data(code=code, params=params)
    if data is None:
        return ""
    return render_to_string(section.template, {"code": code, "section": data, "params": params}).strip()


def _fingerprint(code: Code) -> str:
    """The code's own texts and place: an edit of the code itself shows at once despite the cache."""
    texts = [code.code, code.title, code.official_description, code.plain_description, code.text_licence]
    state = [str(code.billable), str(code.termination_date), str(code.sort_order), str(code.parent_id)]
    return hashlib.blake2b("\x1f".join(texts + state).encode(), digest_size=8).hexdigest()
