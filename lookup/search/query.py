"""The query's kind, and `search_codes`, the one entry point views and the bench call.

A query is read as the first of these that fits:
- a range (`77261-77799`, `E08-E13`, `E08 to E13`): every code between the two, in code order;
- a code or the start of one (`E11.9`, `e119`, `J11`, `773`): the exact code first, then
  the codes under it, in code order;
- words (`type 2 diabetes without complications`): ranked full-text search over the
  stored search vectors, with typos corrected from the vocabulary by trigram similarity.
"""

from __future__ import annotations

import re
import unicodedata

from lookup.models import CodeSystem, normalize_code
from lookup.search.codes import code_search, range_search
from lookup.search.result import PAGE_SIZE, QueryError, SearchResult
from lookup.search.words import Filters, words_search

MAX_QUERY_LENGTH = 200

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_CODE_SHAPE = re.compile(r"[A-Z0-9]{1,8}(?:[. ][A-Z0-9]{1,5})?\.?", re.IGNORECASE)
_RANGE = re.compile(
    r"([A-Z0-9][A-Z0-9.]{1,8})\s*(?:-|–|—|\.\.|\s(?:to|through|thru)\s)\s*([A-Z0-9][A-Z0-9.]{1,8})",
    re.IGNORECASE,
)


def clean_query(text: str) -> str:
    """The query as searched: control characters (NUL...) dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", CONTROL_CHARACTERS.sub(" ", text or ""))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"Search text is too long: at most {MAX_QUERY_LENGTH} characters, please.")
    return text


def range_ends(query: str) -> tuple[str, str] | None:
    """The two ends of a range query, or None. Both ends are codes, with a digit:
    "covid-19" and "non-insulin" are words."""
    match = _RANGE.fullmatch(query)
    if match and all(any(ch.isdigit() for ch in end) for end in match.groups()):
        return match.group(1), match.group(2)
    return None


def looks_like_code(query: str) -> bool:
    key = normalize_code(query)
    return bool(_CODE_SHAPE.fullmatch(query)) and 2 <= len(key) <= 8 and any(ch.isdigit() for ch in key)


def search_codes(
    text: str,
    *,
    system: CodeSystem | None = None,
    billable_only: bool = False,
    page_number: str | int | None = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResult:
    """Search every code set (or one) the way a coder types: range, code, prefix or words."""
    query = clean_query(text)
    if not query:
        return SearchResult(query=query, mode="empty")
    if ends := range_ends(query):
        low, high = ends
        return range_search(
            query,
            low,
            high,
            system=system,
            billable_only=billable_only,
            page_number=page_number,
            page_size=page_size,
        )
    if looks_like_code(query):
        result = code_search(
            query, system=system, billable_only=billable_only, page_number=page_number, page_size=page_size
        )
        if result.count:
            return result
    filters = Filters(system_id=system.pk if system else None, billable_only=billable_only)
    return words_search(query, filters, page_number=page_number, page_size=page_size)
