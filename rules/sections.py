"""The code-page sections of coding rules: on an HCPCS modifier's page, a pointer to its modifier
page (everyone); for members, Places of service, Modifiers, NCCI edits and Crosswalk. Each `data(*, code, params)` returns what its template reads as `section`,
or None when it has nothing to say for that code; `rules/apps.py` registers them with lookup's
section registry.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import QueryDict

from lookup.models import Code
from lookup.sections import Section, everyone
from rules import places, tools
from rules.models import EditChange, PtpEdit
from rules.modifiers import NCCI_MODIFIER_SET, NCCI_MODIFIERS, modifier_of

PROCEDURE_SYSTEMS = frozenset({"cpt", "hcpcs"})
CROSSWALK_SYSTEMS = frozenset({"icd-10-cm", "icd-10-pcs"})
PAIRS_PER_PAGE = 50


def is_procedure(code: Code) -> bool:
    return code.system.slug in PROCEDURE_SYSTEMS and code.kind != Code.Kind.MODIFIER


def is_hcpcs_modifier(code: Code) -> bool:
    return code.system.slug == "hcpcs" and code.kind == Code.Kind.MODIFIER


def modifier_page_data(*, code: Code, params: QueryDict) -> dict:
    """An HCPCS modifier's own code page points to its page among the modifiers (no query)."""
    return {
        "modifier": modifier_of(code),
        "breaks_ncci_edits": code.code in NCCI_MODIFIER_SET,
        "payment_rule": code.code in tools.MODIFIER_INDICATORS,
    }


def has_crosswalk(code: Code) -> bool:
    return code.system.slug in CROSSWALK_SYSTEMS


def _year(params: QueryDict) -> int | None:
    value = params.get("year", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) == 4 else None


def modifiers_data(*, code: Code, params: QueryDict) -> tools.ModifierFacts | None:
    """The payment modifiers of the fee-schedule year the page shows (the newest by default)."""
    return tools.modifiers_for(code.key, _year(params)) or tools.modifiers_for(code.key)


def places_data(*, code: Code, params: QueryDict) -> dict | None:
    """Which places of service get the facility and which the non-facility rate, beside the fee schedule."""
    if not tools.modifiers_for(code.key):
        return None
    everywhere = places.all_places()
    return {
        "facility": [p for p in everywhere if p.rate == places.FACILITY],
        "non_facility": [p for p in everywhere if p.rate == places.NON_FACILITY],
    }


def ncci_data(*, code: Code, params: QueryDict) -> dict | None:
    loaded = tools.editions_loaded()
    if not loaded:
        return None
    edits = (
        PtpEdit.objects.filter(Q(column1=code.key) | Q(column2=code.key))
        .select_related("rationale")
        .order_by("-setting", "deletion_date", "column1", "column2")
    )
    # What the later releases changed for this code (the first release of a kind is the baseline).
    history = (
        EditChange.objects.filter(Q(code=code.key) | Q(other=code.key))
        .select_related("release")
        .order_by("-release__date", "code", "other")[:PAIRS_PER_PAGE]
    )
    return {
        "page": Paginator(edits, PAIRS_PER_PAGE).get_page(params.get("ncci_page")),
        "mues": tools.mue(code.key),
        "history": list(history),
        "loaded": loaded,
        "breaking_modifiers": NCCI_MODIFIERS,
    }


def crosswalk_data(*, code: Code, params: QueryDict) -> tools.CrosswalkFacts | None:
    """The code's GEM lines; none (a code newer than 2018, or no GEMs loaded) shows no section,
    and costs the page one query."""
    mappings = tools.gem_mappings(code.code)
    return tools.crosswalk(code.code, mappings=mappings) if mappings else None


# What lookup's section registry shows (orders: the fee schedule is 10, lookup's notes 20).
MODIFIER_PAGE = Section(
    slug="modifier-page",
    title="Modifier",
    template="rules/_modifier_page_section.html",
    data=modifier_page_data,
    applies=is_hcpcs_modifier,
    visible=everyone,  # a link to a public page, with our public explanation
    locked_title=None,
    order=5,
)
PLACES = Section(
    slug="places-of-service",
    title="Which rate applies where",
    template="rules/_places_section.html",
    data=places_data,
    applies=is_procedure,
    locked_title=None,  # the fee schedule's placeholder covers it
    order=11,
)
MODIFIERS = Section(
    slug="modifiers",
    title="Modifiers",
    template="rules/_modifiers_section.html",
    data=modifiers_data,
    applies=is_procedure,
    params=("year",),
    locked_title="Modifiers and NCCI edits",  # one placeholder for both
    order=12,
)
NCCI = Section(
    slug="ncci",
    title="NCCI edits",
    template="rules/_ncci_section.html",
    data=ncci_data,
    applies=is_procedure,
    params=("ncci_page",),
    locked_title=None,
    order=13,
)
CROSSWALK = Section(
    slug="crosswalk",
    title="Crosswalk",
    template="rules/_crosswalk_section.html",
    data=crosswalk_data,
    applies=has_crosswalk,
    locked_title="Crosswalk to ICD-9-CM",
    order=25,
)
SECTIONS = [MODIFIER_PAGE, PLACES, MODIFIERS, NCCI, CROSSWALK]
