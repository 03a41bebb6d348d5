"""The code-page sections of coding rules (members only): Modifiers, NCCI edits, Crosswalk.

Each is a function of the code and the page's query string that returns the section's HTML,
or "" when the section has nothing to say for that code (a diagnosis has no modifiers).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import QueryDict
from django.template.loader import render_to_string

from lookup.models import Code
from rules import tools
from rules.models import EditChange, PtpEdit

PROCEDURE_SYSTEMS = frozenset({"cpt", "hcpcs"})
CROSSWALK_SYSTEMS = frozenset({"icd-10-cm", "icd-10-pcs"})
PAIRS_PER_PAGE = 50


def _year(params: QueryDict) -> int | None:
    value = params.get("year", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) == 4 else None


def modifiers_html(*, code: Code, params: QueryDict) -> str:
    if code.system.slug not in PROCEDURE_SYSTEMS or code.kind == Code.Kind.MODIFIER:
        return ""
    facts = tools.modifiers_for(code.key, _year(params)) or tools.modifiers_for(code.key)
    return render_to_string("rules/_modifiers_section.html", {"code": code, "facts": facts})


def ncci_html(*, code: Code, params: QueryDict) -> str:
    if code.system.slug not in PROCEDURE_SYSTEMS or code.kind == Code.Kind.MODIFIER:
        return ""
    edits = (
        PtpEdit.objects.filter(Q(column1=code.key) | Q(column2=code.key))
        .select_related("rationale")
        .order_by("setting", "deletion_date", "column1", "column2")
    )
    page = Paginator(edits, PAIRS_PER_PAGE).get_page(params.get("ncci_page"))
    # What the later releases changed for this code (the first release of a kind is the baseline).
    history = (
        EditChange.objects.filter(Q(code=code.key) | Q(other=code.key))
        .select_related("release")
        .order_by("-release__date", "code", "other")[:PAIRS_PER_PAGE]
    )
    context = {
        "code": code,
        "page": page,
        "history": list(history),
        "mues": tools.mue(code.key),
        "loaded": tools.editions_loaded(),
    }
    return render_to_string("rules/_ncci_section.html", context)


def crosswalk_html(*, code: Code, params: QueryDict) -> str:
    if code.system.slug not in CROSSWALK_SYSTEMS:
        return ""
    facts = tools.crosswalk(code.code)
    if not facts.loaded:
        return ""
    return render_to_string("rules/_crosswalk_section.html", {"code": code, "facts": facts})
