"""The API's tools over the Model Context Protocol (stdio), for coding agents.

The same functions as /api/v1/ answer (api/v1.py, api/serialize.py), so an agent gets the
same facts, with the same licensed text left out, and each fact carries its source: the
publisher, the release and the code page's address to cite.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from api import serialize
from api.errors import ApiError
from api.v1 import code_resource, find_code, find_system
from lookup.search.query import search_codes
from lookup.search.result import QueryError

MAX_RESULTS = 50

server = MCPServer(
    "CodeAhead",
    instructions=(
        "Medical code reference: ICD-10-CM, ICD-10-PCS, HCPCS Level II and CPT codes. Cite each fact's "
        "`url`. CPT descriptors are the AMA's and are never given; use plain_text, our own words."
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


def run() -> None:
    server.run("stdio")
