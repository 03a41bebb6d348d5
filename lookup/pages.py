"""What a code page shows, gathered in a fixed, small number of queries, and kept a minute.

The code page is the site's hottest page. Its hierarchy and deeper sections change only
when staff edit notes or a release is imported, so each process keeps them rendered for
CONTENT_CACHE_SECONDS. The code's own texts are part of the cache key, so an edit of the
code itself shows at once; an edit of its notes or an import shows within that minute.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import groupby

from django.core.cache import caches
from django.http import QueryDict
from django.template.loader import render_to_string

from billing.sections import fee_schedule_section
from lookup.models import Code, CodeChange, HcpcsDetail, Note

CONTENT_CACHE_SECONDS = 60


@dataclass
class NoteGroup:
    kind_label: str
    notes: list[Note]
    inherited_from: Code | None = None


@dataclass
class CodePage:
    code: Code
    ancestors: list[Code]
    children: list[Code] = field(default_factory=list)
    previous: Code | None = None
    next: Code | None = None
    note_groups: list[NoteGroup] = field(default_factory=list)
    seventh_characters: list[Note] = field(default_factory=list)
    seventh_character_source: Code | None = None
    history: list[CodeChange] = field(default_factory=list)
    hcpcs_detail: HcpcsDetail | None = None


def breadcrumbs(code: Code) -> list[Code]:
    return caches["local"].get_or_set(
        f"code-ancestors:{code.pk}:{code.parent_id}",
        lambda: Code.objects.ancestors_of(code),
        CONTENT_CACHE_SECONDS,
    )


def code_sections_html(code: Code, *, params: QueryDict) -> str:
    """The deeper sections (notes, hierarchy, history, fee schedule) rendered for a member.

    The default view is cached; a chosen year or locality is rendered afresh.
    """
    key = f"code-sections:{code.pk}:{_fingerprint(code)}"
    if not params and (html := caches["local"].get(key)) is not None:
        return html
    context = {
        "code": code,
        "page": code_page(code, with_sections=True),
        "billing": fee_schedule_section(code=code, params=params),
    }
    html = render_to_string("lookup/_code_sections.html", context)
    if not params:
        caches["local"].set(key, html, CONTENT_CACHE_SECONDS)
    return html


def _fingerprint(code: Code) -> str:
    texts = [code.code, code.title, code.official_description, code.plain_description, code.text_licence]
    state = [str(code.billable), str(code.termination_date), str(code.sort_order), str(code.parent_id)]
    return hashlib.blake2b("\x1f".join(texts + state).encode(), digest_size=8).hexdigest()


def code_page(code: Code, *, with_sections: bool) -> CodePage:
    """The code page's content; the deeper sections only when the reader may see them."""
    ancestors = breadcrumbs(code)
    page = CodePage(code=code, ancestors=ancestors)
    if not with_sections:
        return page

    page.children = list(code.children.order_by("sort_order"))
    page.previous, page.next = neighbours(code)

    lineage = {c.pk: c for c in [*ancestors, code]}
    notes = Note.objects.filter(code_id__in=lineage).order_by("code_id", "position")
    by_code = {code_id: list(group) for code_id, group in groupby(notes, key=lambda n: n.code_id)}
    # Nearest first: the code's own notes, then its parent's, up to the chapter.
    for owner in [code, *reversed(ancestors)]:
        own_notes = by_code.get(owner.pk, [])
        seventh = [n for n in own_notes if n.kind == Note.Kind.SEVEN_CHR_DEF]
        if seventh and not page.seventh_characters:
            # The nearest definition wins: a subcategory may narrow its category's list.
            page.seventh_characters = seventh
            page.seventh_character_source = owner
        other = [n for n in own_notes if n.kind != Note.Kind.SEVEN_CHR_DEF]
        kind_order = list(Note.Kind.values)
        other.sort(key=lambda n: (kind_order.index(n.kind), n.position))
        for kind, group in groupby(other, key=lambda n: n.kind):
            page.note_groups.append(
                NoteGroup(
                    kind_label=Note.Kind(kind).label,
                    notes=list(group),
                    inherited_from=None if owner is code else owner,
                )
            )
    page.history = list(code.changes.select_related("release__system").order_by("-release__date"))
    if code.system.slug == "hcpcs":
        page.hcpcs_detail = HcpcsDetail.objects.filter(code=code).first()
    return page


def neighbours(code: Code) -> tuple[Code | None, Code | None]:
    """The codes just before and after this one in its code set, in one query."""
    same_system = Code.objects.filter(system_id=code.system_id)
    before = same_system.filter(sort_order__lt=code.sort_order).order_by("-sort_order")[:1]
    after = same_system.filter(sort_order__gt=code.sort_order).order_by("sort_order")[:1]
    previous = following = None
    for neighbour in before.union(after, all=True):
        if neighbour.sort_order < code.sort_order:
            previous = neighbour
        else:
            following = neighbour
    return previous, following
