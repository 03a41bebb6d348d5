"""The API's tools over the Model Context Protocol (stdio), for coding agents.

The same functions as /api/v1/ answer (api/v1.py, api/serialize.py), so an agent gets the
same facts, with the same licensed text left out, and each fact carries its source: the
publisher, the release and the code page's address to cite.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from api import rule_facts, serialize
from api.errors import ApiError
from api.v1 import code_resource, find_code, find_system
from lookup.search.query import search_codes
from lookup.search.result import QueryError
from rules import places, tools

MAX_RESULTS = 50

server = MCPServer(
    "CodeAhead",
    instructions=(
        "Medical code reference: ICD-10-CM, ICD-10-PCS, HCPCS Level II and CPT codes, and the coding "
        "rules (NCCI pair edits, MUEs, Excludes1 notes, modifiers, places of service). Cite each fact's "
        "`url` (or its source's). CPT descriptors are the AMA's and are never given; use plain_text, our "
        "own words."
    ),
)


def _failure(error: Exception) -> dict:
    return {"error": str(error)}


@server.tool()
def lookup_code(system: str, code: str) -> dict:
    """One code: its official title (where its licence allows), plain-language text, whether it is
    billable, parent, children, notes and release history. `system`: icd-10-cm, icd-10-pcs, hcpcs
    or cpt; `code` in any spelling (e11.9, E119)."""
    try:
        facts = code_resource(find_code(find_system(system), code))
    except ApiError as error:
        return _failure(error)
    facts["source"] = {"publisher": facts["publisher"], "copyright": facts["copyright"], "url": facts["url"]}
    return facts


@server.tool()
def search(query: str, system: str | None = None, billable_only: bool = False, limit: int = 10) -> dict:
    """Search codes as a coder types: a range (E08-E13), a code or its start (E11.9, J11), or words
    (type 2 diabetes). Returns the matching codes in order, each with its page to cite."""
    try:
        found_system = find_system(system) if system else None
        result = search_codes(
            query, system=found_system, billable_only=billable_only, page_size=max(1, min(limit, MAX_RESULTS))
        )
    except (ApiError, QueryError) as error:
        return _failure(error)
    rows = list(result.page.object_list) if result.page else []
    return {
        "query": result.query,
        "mode": result.mode,
        "corrected": result.corrected or None,
        "count": result.count,
        "results": [serialize.code_ref(code) for code in rows],
    }


@server.tool()
def check_codes(codes: list[str]) -> dict:
    """Whether two to 20 codes may be billed together, every pair: NCCI procedure-to-procedure
    edits (both settings, the modifiers that may break each), each code's medically unlikely edits
    (units per day), and for ICD-10-CM diagnoses the Excludes1, Excludes2 and sequencing notes.
    `codes` in any spelling: ["77307", "77300-59"] keeps modifier 59 on 77300. Each fact carries
    its source: the page to cite and the CMS release it was read from."""
    try:
        return rule_facts.pair_check(tools.pair_check(codes))
    except tools.CodeInputError as error:
        return _failure(error)


@server.tool()
def modifiers_for_code(system: str, code: str, year: int | None = None) -> dict:
    """Which payment modifiers (26, TC, 50, 51, 62, 80...) apply to a CPT or HCPCS code, read from
    the Medicare fee schedule's indicators for a year (the newest by default), and what each does
    to the payment, with the amounts; the source is the code page's Modifiers section."""
    try:
        found = find_code(find_system(system), code)
    except ApiError as error:
        return _failure(error)
    facts = tools.modifiers_for(found.key, year)
    if facts is None:
        return {"error": f"{found.code} is in no fee schedule loaded{f' in {year}' if year else ''}."}
    return rule_facts.modifiers_for_code(facts)


@server.tool()
def place_of_service(code: str) -> dict:
    """A CMS place-of-service code ("11" office, "21" inpatient hospital, "22", "02"...): its name,
    what it covers and whether the fee schedule pays the facility or the non-facility rate there."""
    found = places.place(code) if len(code) <= 3 else None
    if found is None:
        return {"error": f"No place of service {code[:10]!r}."}
    return rule_facts.place(found)


# No ask_casepilot tool: CasePilot's questions are counted per account (the meter's daily
# allowance), and a stdio server has no account behind it; the API's POST /casepilot/questions
# takes a member's key and counts it honestly.


def run() -> None:
    server.run("stdio")
