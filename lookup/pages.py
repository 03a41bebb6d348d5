"""What a code page shows, gathered in a fixed, small number of queries, and kept a minute.

The code page is the site's hottest page. Its breadcrumbs and its sections (lookup's own
below, and those other apps register: see lookup/sections.py) change only when staff edit
notes or a release is imported, so each process keeps them for CONTENT_CACHE_SECONDS. The
code's own texts are part of the sections' cache key, so an edit of the code itself shows
at once; an edit of its notes or an import shows within that minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.core.cache import caches
from django.http import QueryDict

from lookup import hcpcs_indicators
from lookup.models import Code, CodeChange, HcpcsDetail, Note
from lookup.plain_language.characters import ExplainedCharacter, explain_characters
from lookup.sections import CONTENT_CACHE_SECONDS, Section, register


@dataclass
class CodePage:
    """What every reader sees above the sections: the code and where it sits."""

    code: Code
    ancestors: list[Code]


@dataclass
class NoteGroup:
    kind_label: str
    notes: list[Note]
    inherited_from: Code | None = None


@dataclass
class Notes:
    groups: list[NoteGroup] = field(default_factory=list)
    seventh_characters: list[Note] = field(default_factory=list)
    seventh_character_source: Code | None = None


@dataclass
class Hierarchy:
    ancestors: list[Code]
    children: list[Code]
    siblings: list[Code] = field(default_factory=list)  # the other codes under the same parent
    previous: Code | None = None
    next: Code | None = None


MAX_SIBLINGS = 60


def breadcrumbs(code: Code) -> list[Code]:
    return caches["local"].get_or_set(
        f"code-ancestors:{code.pk}:{code.parent_id}",
        lambda: Code.objects.ancestors_of(code),
        CONTENT_CACHE_SECONDS,
    )


def public_title(code: Code) -> str:
    """The code's official title, shown even to a reader out of views: public domain for
    ICD-10-CM, ICD-10-PCS and HCPCS Level II; "" for CPT and HCPCS D-codes (the AMA's and the
    ADA's text) unless the operator holds that licence (settings.TEXT_LICENCES)."""
    licence = code.text_licence or code.system.text_licence_for(code.key)
    if licence and licence not in settings.TEXT_LICENCES:
        return ""
    return code.official_description or code.title


def code_page(code: Code) -> CodePage:
    return CodePage(code=code, ancestors=breadcrumbs(code))


def notes(*, code: Code, params: QueryDict) -> Notes | None:
    """The code's notes and its ancestors' (marked inherited), and the seventh characters."""
    ancestors = breadcrumbs(code)
    lineage = {c.pk: c for c in [*ancestors, code]}
    rows = Note.objects.filter(code_id__in=lineage).order_by("code_id", "position")
    by_code = {code_id: list(group) for code_id, group in groupby(rows, key=lambda n: n.code_id)}
    found = Notes()
    kind_order = list(Note.Kind.values)
    # Nearest first: the code's own notes, then its parent's, up to the chapter.
    for owner in [code, *reversed(ancestors)]:
        own_notes = by_code.get(owner.pk, [])
        seventh = [n for n in own_notes if n.kind == Note.Kind.SEVEN_CHR_DEF]
        if seventh and not found.seventh_characters:
            # The nearest definition wins: a subcategory may narrow its category's list.
            found.seventh_characters = seventh
            found.seventh_character_source = owner
        other = [n for n in own_notes if n.kind != Note.Kind.SEVEN_CHR_DEF]
        other.sort(key=lambda n: (kind_order.index(n.kind), n.position))
        for kind, group in groupby(other, key=lambda n: n.kind):
            found.groups.append(
                NoteGroup(
                    kind_label=Note.Kind(kind).label,
                    notes=list(group),
                    inherited_from=None if owner is code else owner,
                )
            )
    return found if found.groups or found.seventh_characters else None


@dataclass
class HcpcsFacts:
    """An HCPCS record's indicators, each code beside its meaning."""

    detail: HcpcsDetail
    rows: list[tuple[str, list[hcpcs_indicators.Explained]]]


def hcpcs_detail(*, code: Code, params: QueryDict) -> HcpcsFacts | None:
    detail = HcpcsDetail.objects.filter(code=code).first()
    if detail is None:
        return None
    explain = hcpcs_indicators.explain
    rows = [
        ("Pricing indicator", explain(hcpcs_indicators.PRICING, detail.pricing_indicators.split(","))),
        (
            "Multiple pricing indicator",
            explain(hcpcs_indicators.MULTIPLE_PRICING, [detail.multiple_pricing_indicator]),
        ),
        ("Coverage code", explain(hcpcs_indicators.COVERAGE, [detail.coverage_code])),
        ("BETOS code", explain(hcpcs_indicators.BETOS, [detail.betos_code])),
        (
            "Type of service",
            explain(
                hcpcs_indicators.TYPE_OF_SERVICE, hcpcs_indicators.split_every(detail.type_of_service, 1)
            ),
        ),
        (
            "Lab certification",
            explain(hcpcs_indicators.LAB_CERTIFICATION, detail.lab_certification.split(",")),
        ),
        ("ASC payment group", explain(hcpcs_indicators.ASC_PAYMENT_GROUP, [detail.asc_payment_group])),
    ]
    return HcpcsFacts(detail=detail, rows=rows)


def history(*, code: Code, params: QueryDict) -> list[CodeChange]:
    return list(code.changes.select_related("release__system").order_by("-release__date"))


def hierarchy(*, code: Code, params: QueryDict) -> Hierarchy:
    previous, following = neighbours(code)
    # The codes under this one and those beside it (under its parent), in one query.
    family = list(
        Code.objects.filter(parent_id__in=[code.pk] + ([code.parent_id] if code.parent_id else []))
        .exclude(pk=code.pk)
        .order_by("sort_order")
    )
    for member in family:
        member.system = code.system
    return Hierarchy(
        ancestors=breadcrumbs(code),
        children=[member for member in family if member.parent_id == code.pk],
        siblings=[member for member in family if member.parent_id != code.pk][:MAX_SIBLINGS],
        previous=previous,
        next=following,
    )


def pcs_characters(*, code: Code, params: QueryDict) -> list[ExplainedCharacter] | None:
    """What each of an ICD-10-PCS code's seven characters means, from the code set itself."""
    return explain_characters(code) or None


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


def register_builtin_sections() -> None:
    """Lookup's own sections; a guest sees one placeholder for the four of them."""
    register(
        Section(
            slug="notes",
            title="Notes",
            locked_title="Notes, hierarchy, related codes and history",
            template="lookup/_code_notes.html",
            data=notes,
            order=20,
        )
    )
    register(
        Section(
            slug="pcs-characters",
            title="The seven characters",
            locked_title=None,
            template="lookup/_pcs_characters.html",
            data=pcs_characters,
            applies=lambda code: code.system.slug == "icd-10-pcs",
            order=15,
        )
    )
    register(
        Section(
            slug="hcpcs-detail",
            title="Medicare indicators",
            locked_title=None,
            template="lookup/_hcpcs_detail.html",
            data=hcpcs_detail,
            applies=lambda code: code.system.slug == "hcpcs",
            order=30,
        )
    )
    register(
        Section(
            slug="history",
            title="History",
            locked_title=None,
            template="lookup/_code_history.html",
            data=history,
            order=40,
        )
    )
    register(
        Section(
            slug="hierarchy",
            title="Hierarchy",
            locked_title=None,
            template="lookup/_code_hierarchy.html",
            data=hierarchy,
            order=90,
        )
    )
