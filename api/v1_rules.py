"""/api/v1/ resources of the coding rules: modifiers and places of service (public, as their pages
are), a code's modifiers and the pair checker (verified members' keys, as on the site).

Mounted on the API by api/v1.py (its last lines), whose errors, key check and limits apply.
The facts come from rules.tools, turned into JSON by api/rule_facts.py (shared with MCP).
"""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema

from api import rule_facts
from api.caller import Caller
from api.errors import ApiError
from api.v1 import ERRORS, ErrorOut, find_code, find_system
from rules import places, tools
from rules.modifiers import all_modifiers, get_modifier

router = Router(tags=["coding rules"])

MEMBERS = {**ERRORS, 403: ErrorOut}


class SourceOut(Schema):
    url: str | None
    release: str
    publisher_url: str | None


class RuleCodeOut(Schema):
    typed: str
    code: str
    modifier: str | None
    system: str | None
    system_name: str
    found: bool
    display_title: str | None = Field(
        description="The official title where its licence allows, else our own plain words (never a CPT "
        "descriptor without the AMA licence)."
    )
    url: str | None
    api_url: str | None


# Modifiers.


class ModifierUsesOut(Schema):
    year: int | None
    rule: str | None
    count: int
    codes: list[RuleCodeOut]
    ncci_pairs: list[dict[str, str]]
    source: SourceOut


class ModifierOut(Schema):
    code: str
    system: str
    name: str | None
    explanation: str | None
    official_text: str | None
    breaks_ncci_edits: bool
    url: str
    api_url: str


class ModifierDetailOut(ModifierOut):
    uses: ModifierUsesOut | None


@router.get("/modifiers", response={200: list[ModifierOut], 429: ErrorOut}, summary="Modifiers")
def modifiers(request):
    """CPT's payment modifiers (our names and explanations, never the AMA's descriptors) and the
    HCPCS Level II modifiers (CMS's text, with ours for the common ones)."""
    return [rule_facts.modifier(m) for m in all_modifiers()]


@router.get(
    "/modifiers/{modifier}",
    response={200: ModifierDetailOut, **ERRORS},
    url_name="modifier",
    summary="One modifier",
)
def modifier(request, modifier: str):
    """A modifier, and where it matters: the fee-schedule codes whose indicators let it apply and
    a few NCCI edits it may break."""
    typed = modifier.strip()
    found = get_modifier(typed) if len(typed) == 2 and typed.isascii() and typed.isalnum() else None
    if found is None:
        raise ApiError(404, f"No modifier {modifier[:10]!r}: see /api/v1/modifiers.")
    return rule_facts.modifier(found, uses=tools.codes_for_modifier(found.code), detail=True)


class AmountOut(Schema):
    label: str
    nonfacility: float | None
    facility: float | None


class ModifierLinkOut(Schema):
    modifier: str
    url: str | None


class ModifierRuleOut(Schema):
    modifiers: list[ModifierLinkOut]
    topic: str
    indicator: str
    applies: str
    effect: str
    amounts: list[AmountOut]


class CodeModifiersOut(Schema):
    code: RuleCodeOut
    year: int
    years: list[int]
    status: str
    rules: list[ModifierRuleOut]
    source: SourceOut


class YearParams(Schema):
    year: int | None = None


@router.get(
    "/codes/{system}/{code}/modifiers",
    response={200: CodeModifiersOut, **MEMBERS},
    summary="A code's modifiers (members)",
)
def code_modifiers(request, system: str, code: str, params: Query[YearParams]):
    """Which payment modifiers apply to a CPT or HCPCS code in a fee-schedule year (the newest by
    default), read from its indicators, and what each does to the payment."""
    caller: Caller = request.auth
    caller.require_member()
    found = find_code(find_system(system), code)
    facts = tools.modifiers_for(found.key, params.year)
    if facts is None:
        year = f" in {params.year}" if params.year else ""
        raise ApiError(404, f"{found.code} is in no fee schedule loaded{year}.")
    return rule_facts.modifiers_for_code(facts)


# The pair checker.


class PtpOut(Schema):
    setting: str
    column1: str
    column2: str
    effective: date
    deleted: date | None
    active: bool
    modifier_indicator: str
    modifier_meaning: str
    modifiers: dict[str, list[str]]
    rationale: str
    source: SourceOut


class NoteOut(Schema):
    kind: str
    kind_label: str
    code: str
    other: str
    note: str
    at: str
    inherited: bool
    says: str
    verdict: str
    source: SourceOut


class PairOut(Schema):
    first: str
    second: str
    verdict: str
    summary: str
    modifier_used: str | None
    ncci: list[PtpOut]
    notes: list[NoteOut]


class MueOut(Schema):
    code: str
    setting: str
    units: int
    adjudication: str
    adjudication_meaning: str
    adjudication_short: str
    rationale: str
    source: SourceOut


class CheckOut(Schema):
    on: date
    codes: list[RuleCodeOut]
    unknown: list[str]
    pairs: list[PairOut]
    mues: dict[str, list[MueOut]]
    sources: list[SourceOut]
    url: str


class CheckParams(Schema):
    codes: str


@router.get("/check", response={200: CheckOut, **MEMBERS}, summary="Check codes together (members)")
def check(request, params: Query[CheckParams]):
    """Every pair of two to 20 codes (`codes=77307,77300`, any spelling, `77300-59` keeps a modifier):
    NCCI procedure-to-procedure edits in both settings, each code's MUEs, and for ICD-10-CM the
    Excludes1, Excludes2, code-first and use-additional-code notes, inherited ones too."""
    caller: Caller = request.auth
    caller.require_member()
    try:
        result = tools.pair_check(params.codes)
    except tools.CodeInputError as error:
        raise ApiError(400, str(error)) from None
    return rule_facts.pair_check(result)


# Places of service.


class PlaceOut(Schema):
    code: str
    name: str
    description: str
    rate: str
    rate_explained: str
    rate_note: str | None
    url: str
    api_url: str
    source: SourceOut


class PlacesOut(Schema):
    places: list[PlaceOut]
    unassigned: list[str]


@router.get("/places-of-service", response={200: PlacesOut, 429: ErrorOut}, summary="Places of service")
def places_of_service(request):
    """CMS's place-of-service codes, each with the fee-schedule rate (facility or non-facility) it gets."""
    return {
        "places": [rule_facts.place(p) for p in places.all_places()],
        "unassigned": places.unassigned_ranges(),
    }


@router.get(
    "/places-of-service/{code}",
    response={200: PlaceOut, **ERRORS},
    url_name="place_of_service",
    summary="One place of service",
)
def place_of_service(request, code: str):
    found = places.place(code) if len(code) <= 3 else None
    if found is None:
        raise ApiError(404, f"No place of service {code[:10]!r}: see /api/v1/places-of-service.")
    return rule_facts.place(found)
